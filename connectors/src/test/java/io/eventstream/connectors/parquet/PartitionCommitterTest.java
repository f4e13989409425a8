package io.eventstream.connectors.parquet;

import static io.eventstream.connectors.parquet.DatasetTestSupport.DAY;
import static io.eventstream.connectors.parquet.DatasetTestSupport.HOUR;
import static io.eventstream.connectors.parquet.DatasetTestSupport.counter;
import static io.eventstream.connectors.parquet.DatasetTestSupport.files;
import static io.eventstream.connectors.parquet.DatasetTestSupport.hiddenParts;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The partition committer in a harness: the {@code _SUCCESS} rule, its state, end of input. */
class PartitionCommitterTest {

    @TempDir
    Path versionDir;

    private OneInputStreamOperatorTestHarness<CommitReport, Void> harness(InterceptingOperatorMetricGroup metrics)
            throws Exception {
        return harness(metrics, 0);
    }

    private OneInputStreamOperatorTestHarness<CommitReport, Void> harness(
            InterceptingOperatorMetricGroup metrics, long completenessDelayMillis) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new PartitionCommitter(new org.apache.flink.core.fs.Path(versionDir.toUri()), completenessDelayMillis),
                DatasetTestSupport.environment(metrics, 0, 1));
    }

    private static CommitReport report(long checkpoint, int subtask, long watermark, long... partitions) {
        return CommitReport.committed(checkpoint, subtask, 2, watermark, partitions);
    }

    private List<String> successMarkers() {
        return files(versionDir).stream().filter(f -> f.endsWith("_SUCCESS")).toList();
    }

    @Test
    void marksAPartitionOnlyWhenEveryWriterWatermarkPassedItsEnd() throws Exception {
        var metrics = new InterceptingOperatorMetricGroup();
        OperatorSubtaskState state;
        try (var h = harness(metrics)) {
            h.open();
            h.processElement(report(1, 0, DAY + HOUR, DAY), 0);
            assertThat(successMarkers()).isEmpty(); // subtask 1 not heard from yet

            h.processElement(report(1, 1, DAY + HOUR - 1, DAY), 0);
            assertThat(successMarkers()).isEmpty(); // subtask 1 may still hold rows of the last millisecond

            state = h.snapshot(2, 0);
        }
        try (var restored = harness(metrics)) {
            restored.initializeState(state);
            restored.open();
            restored.processElement(report(2, 1, DAY + 2 * HOUR, DAY + HOUR), 0);
            // min(DAY+1h from subtask 0, DAY+2h) passes the end of hour 00 only
            assertThat(successMarkers()).containsExactly("dt=2024-05-01/hour=00/_SUCCESS");

            restored.processElement(report(3, 0, DAY + 2 * HOUR, new long[0]), 0);
            assertThat(successMarkers())
                    .containsExactly("dt=2024-05-01/hour=00/_SUCCESS", "dt=2024-05-01/hour=01/_SUCCESS");
            assertThat(counter(metrics, "partitionsMarkedSuccessful")).isEqualTo(2);

            // An older, lower report of a subtask never lowers what it already claimed.
            restored.processElement(report(1, 0, Long.MIN_VALUE, DAY + 5 * HOUR), 0);
            restored.processElement(report(4, 1, DAY + 6 * HOUR, new long[0]), 0);
            assertThat(successMarkers()).hasSize(2);
        }
    }

    @Test
    void completenessDelayHoldsTheMarkerUntilTheWatermarkIsThatFarPastTheHour() throws Exception {
        long delay = 5 * 60_000L;
        try (var h = harness(new InterceptingOperatorMetricGroup(), delay)) {
            h.open();
            h.processElement(report(1, 0, DAY + HOUR + delay - 1, DAY), 0);
            h.processElement(report(1, 1, DAY + HOUR + delay - 1, DAY), 0);
            assertThat(successMarkers()).isEmpty(); // a row of hour 00 may still come out of the lateness buffer

            h.processElement(report(2, 0, DAY + HOUR + delay, new long[0]), 0);
            h.processElement(report(2, 1, DAY + HOUR + delay, new long[0]), 0);
            assertThat(successMarkers()).containsExactly("dt=2024-05-01/hour=00/_SUCCESS");
        }
    }

    @Test
    void endOfInputFilesAreCommittedByTheCommitterOnceACheckpointAfterThemCompletes() throws Exception {
        Path hour00 = Files.createDirectories(versionDir.resolve("dt=2024-05-01/hour=00"));
        Path hour03 = Files.createDirectories(versionDir.resolve("dt=2024-05-01/hour=03"));
        PendingFile a = pending(hour00, "part-0-a", DAY);
        PendingFile b = pending(hour03, "part-1-b", DAY + 3 * HOUR);
        Files.createFile(
                hour00.resolve(".part-1-orphan.parquet" + DatasetFiles.IN_PROGRESS_MARK + ".5c1f")); // failed attempt

        var metrics = new InterceptingOperatorMetricGroup();
        try (var h = harness(metrics)) {
            h.open();
            h.processElement(CommitReport.endOfInput(0, 2, new long[] {DAY}, new PendingFile[] {a}), 0);
            h.snapshot(5, 0); // covers subtask 0's end of input
            h.processElement(CommitReport.endOfInput(1, 2, new long[] {DAY + 3 * HOUR}, new PendingFile[] {b}), 0);
            h.notifyOfCompletedCheckpoint(5);
            // Subtask 0 is final, subtask 1's report came after checkpoint 5: nothing is complete yet.
            assertThat(Files.exists(Path.of(java.net.URI.create(a.finalPath)))).isTrue();
            assertThat(Files.exists(Path.of(java.net.URI.create(b.finalPath)))).isFalse();
            assertThat(hiddenParts(hour03)).hasSize(1);
            assertThat(successMarkers()).isEmpty();

            h.snapshot(6, 0);
            h.notifyOfCompletedCheckpoint(6);
            assertThat(files(versionDir))
                    .containsExactly(
                            "dt=2024-05-01/hour=00/_SUCCESS", "dt=2024-05-01/hour=00/part-0-a.parquet",
                            "dt=2024-05-01/hour=03/_SUCCESS", "dt=2024-05-01/hour=03/part-1-b.parquet");
            assertThat(counter(metrics, "filesCommitted")).isEqualTo(2);
            assertThat(counter(metrics, "partitionsMarkedSuccessful")).isEqualTo(2);
        }
    }

    @Test
    void withoutCheckpointsEndOfInputReportsCompleteEveryPartition() throws Exception {
        try (var h = harness(new InterceptingOperatorMetricGroup())) {
            h.open();
            h.processElement(report(Long.MAX_VALUE, 0, Long.MAX_VALUE, DAY, DAY + 7 * HOUR), 0);
            assertThat(successMarkers()).isEmpty();
            h.processElement(report(Long.MAX_VALUE, 1, Long.MAX_VALUE, DAY + 7 * HOUR), 0);
            assertThat(successMarkers())
                    .containsExactly("dt=2024-05-01/hour=00/_SUCCESS", "dt=2024-05-01/hour=07/_SUCCESS");
        }
    }

    /** A file written and closed for commit through the local filesystem's recoverable writer. */
    private static PendingFile pending(Path dir, String name, long hourStart) throws Exception {
        var target =
                new org.apache.flink.core.fs.Path(dir.resolve(name + ".parquet").toUri());
        var writer = target.getFileSystem().createRecoverableWriter();
        var stream = writer.open(target);
        stream.write(new byte[] {1, 2, 3});
        PendingFile file = DatasetFiles.closeForCommit(writer, stream, target, hourStart);
        file.checkpointId = 1;
        return file;
    }
}
