package io.eventstream.connectors.parquet;

import static io.eventstream.connectors.parquet.DatasetTestSupport.DAY;
import static io.eventstream.connectors.parquet.DatasetTestSupport.HOUR;
import static io.eventstream.connectors.parquet.DatasetTestSupport.SCHEMA;
import static io.eventstream.connectors.parquet.DatasetTestSupport.counter;
import static io.eventstream.connectors.parquet.DatasetTestSupport.hiddenParts;
import static io.eventstream.connectors.parquet.DatasetTestSupport.row;
import static io.eventstream.connectors.parquet.DatasetTestSupport.visibleEventIds;
import static io.eventstream.connectors.parquet.DatasetTestSupport.visibleParquet;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer operator in a harness: checkpoint commit protocol, restore, end of input, bad rows. */
class DatasetWriterOperatorTest {

    @TempDir
    Path root;

    private Path versionDir() {
        return root.resolve("test_rows/v1");
    }

    private OneInputStreamOperatorTestHarness<Row, CommitReport> harness(
            InterceptingOperatorMetricGroup metrics, boolean commitAtEndOfInput) throws Exception {
        DatasetWriterOperator writer = new DatasetWriterOperator(
                new org.apache.flink.core.fs.Path(versionDir().toUri()),
                SCHEMA,
                Compression.ZSTD,
                Map.of(DatasetWriteSupport.FINGERPRINT_KEY, "fp-1"),
                commitAtEndOfInput);
        return new OneInputStreamOperatorTestHarness<>(writer, DatasetTestSupport.environment(metrics, 0, 1));
    }

    @Test
    void pendingFilesSurviveRestoreAndAreCommittedExactlyOnce() throws Exception {
        OperatorSubtaskState checkpoint1;
        try (var first = harness(new InterceptingOperatorMetricGroup(), false)) {
            first.open();
            first.processElement(row(1, DAY + 10), DAY + 10);
            first.processElement(row(2, DAY + HOUR + 5), DAY + HOUR + 5);
            first.processElement(row(3, DAY + 20), DAY + 20);
            checkpoint1 = first.snapshot(1, 100);
            // Rows after the checkpoint: lost with the failure, replayed by the source after restore.
            first.processElement(row(4, DAY + 30), DAY + 30);
            first.processElement(row(5, DAY + 2 * HOUR), DAY + 2 * HOUR);
            assertThat(visibleParquet(versionDir())).isEmpty();
            assertThat(hiddenParts(versionDir())).hasSize(4); // 2 closed at checkpoint 1, 2 still open
        } // failure before checkpoint 1's notification

        var metrics = new InterceptingOperatorMetricGroup();
        try (var restored = harness(metrics, false)) {
            restored.initializeState(checkpoint1);
            restored.open();
            assertThat(visibleEventIds(versionDir())).containsExactly("e-1", "e-2", "e-3");
            assertThat(visibleParquet(versionDir())).hasSize(2);
            assertThat(counter(metrics, "filesCommitted")).isEqualTo(2);

            restored.notifyOfCompletedCheckpoint(1); // late duplicate notification: nothing changes
            assertThat(visibleEventIds(versionDir())).containsExactly("e-1", "e-2", "e-3");

            restored.processWatermark(DAY + HOUR);
            restored.snapshot(2, 200);
            restored.notifyOfCompletedCheckpoint(2);
            // The first report after a restore names the partitions committed on restore; a
            // notification without a snapshot of this attempt claims no watermark progress.
            List<CommitReport> reports = restored.extractOutputValues();
            assertThat(reports).hasSize(2);
            assertThat(reports.get(0).checkpointId).isEqualTo(1);
            assertThat(reports.get(0).watermark).isEqualTo(Long.MIN_VALUE);
            assertThat(reports.get(0).partitions).containsExactly(DAY, DAY + HOUR);
            assertThat(reports.get(1).checkpointId).isEqualTo(2);
            assertThat(reports.get(1).watermark).isEqualTo(DAY + HOUR);
            assertThat(reports.get(1).partitions).isEmpty();
        }

        var again = new InterceptingOperatorMetricGroup();
        try (var restoredTwice = harness(again, false)) {
            restoredTwice.initializeState(checkpoint1); // files already renamed: idempotent
            restoredTwice.open();
            assertThat(counter(again, "filesCommitted")).isZero();
            assertThat(visibleEventIds(versionDir())).containsExactly("e-1", "e-2", "e-3");
        }
        // The aborted attempt's four hidden files (two renamed since) leave exactly two orphans.
        assertThat(hiddenParts(versionDir())).hasSize(2);
    }

    @Test
    void filesOfAnUncompletedCheckpointNeverBecomeVisible() throws Exception {
        try (var attempt = harness(new InterceptingOperatorMetricGroup(), false)) {
            attempt.open();
            attempt.processElement(row(1, DAY), DAY);
            attempt.snapshot(1, 100); // checkpoint 1 is taken but never completes
            attempt.processElement(row(2, DAY + 1), DAY + 1);
            attempt.notifyOfCompletedCheckpoint(0); // an older checkpoint completing commits nothing newer
        }
        try (var fresh = harness(new InterceptingOperatorMetricGroup(), false)) {
            fresh.initializeState((OperatorSubtaskState) null); // restarted without state
            fresh.open();
            fresh.processElement(row(3, DAY + 2), DAY + 2);
            fresh.snapshot(1, 100);
            fresh.notifyOfCompletedCheckpoint(1);
        }
        assertThat(visibleEventIds(versionDir())).containsExactly("e-3");
    }

    @Test
    void aBackfillAcrossManyHoursKeepsFewFilesOpenAndLosesNoRow() throws Exception {
        int hours = 3 * DatasetWriterOperator.MAX_OPEN_FILES;
        try (var h = harness(new InterceptingOperatorMetricGroup(), false)) {
            h.open();
            List<String> expected = new java.util.ArrayList<>();
            for (int i = 0; i < hours; i++) {
                h.processElement(row(i, DAY + i * HOUR), DAY + i * HOUR);
                expected.add("e-" + i);
            }
            h.processElement(row(hours, DAY), DAY); // a late row for an hour whose file was closed early
            expected.add("e-" + hours);
            h.snapshot(1, 100);
            h.notifyOfCompletedCheckpoint(1);
            assertThat(visibleEventIds(versionDir())).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(hiddenParts(versionDir())).isEmpty();
            // Hour 00's first file was closed early (more than MAX_OPEN_FILES hours followed), so its
            // late row went to a second part file.
            assertThat(visibleParquet(versionDir()).stream().filter(f -> f.startsWith("dt=2024-05-01/hour=00/")))
                    .hasSize(2);
        }
    }

    @Test
    void completedCheckpointRenamesItsFilesAndReportsPartitionsAndWatermark() throws Exception {
        var metrics = new InterceptingOperatorMetricGroup();
        try (var h = harness(metrics, false)) {
            h.open();
            h.processElement(row(1, DAY + 1), DAY + 1);
            h.processElement(row(2, DAY + 3 * HOUR), DAY + 3 * HOUR);
            h.processWatermark(DAY + HOUR);
            h.snapshot(7, 100);
            h.processWatermark(DAY + 2 * HOUR); // after the barrier: not part of checkpoint 7's claim
            h.processElement(row(3, DAY + 3 * HOUR + 1), DAY + 3 * HOUR + 1);
            h.notifyOfCompletedCheckpoint(7);

            assertThat(visibleEventIds(versionDir())).containsExactly("e-1", "e-2");
            assertThat(visibleParquet(versionDir()))
                    .allMatch(f -> f.matches("dt=2024-05-01/hour=0[03]/part-0-[0-9a-f-]{36}\\.parquet"));
            assertThat(h.extractOutputValues()).singleElement().satisfies(report -> {
                assertThat(report.checkpointId).isEqualTo(7);
                assertThat(report.subtask).isZero();
                assertThat(report.numberOfSubtasks).isEqualTo(1);
                assertThat(report.watermark).isEqualTo(DAY + HOUR);
                assertThat(report.partitions).containsExactly(DAY, DAY + 3 * HOUR);
            });
            assertThat(counter(metrics, "rowsWritten")).isEqualTo(3);
            assertThat(counter(metrics, "filesCommitted")).isEqualTo(2);
        }
    }

    @Test
    void withCheckpointsTheEndOfInputHandsUncommittedFilesToTheCommitter() throws Exception {
        try (var h = harness(new InterceptingOperatorMetricGroup(), false)) {
            h.open();
            h.processElement(row(1, DAY), DAY);
            h.snapshot(1, 100); // completes only after the input ended
            h.processElement(row(2, DAY + HOUR), DAY + HOUR);
            h.endInput();

            assertThat(visibleParquet(versionDir())).isEmpty(); // waits for the final checkpoint
            List<CommitReport> reports = h.extractOutputValues();
            assertThat(reports).singleElement().satisfies(report -> {
                assertThat(report.endOfInput).isTrue();
                assertThat(report.watermark).isEqualTo(Long.MAX_VALUE);
                assertThat(report.partitions).containsExactly(DAY, DAY + HOUR);
                assertThat(report.uncommittedFiles).hasSize(2);
            });

            h.notifyOfCompletedCheckpoint(1);
            assertThat(visibleEventIds(versionDir())).containsExactly("e-1");
            h.snapshot(2, 200); // the final checkpoint
            h.notifyOfCompletedCheckpoint(2);
            assertThat(visibleEventIds(versionDir())).containsExactly("e-1", "e-2");
            assertThat(h.extractOutputValues()).hasSize(1); // nothing emitted after end of input
        }
    }

    @Test
    void withoutCheckpointsTheEndOfInputCommitsEverything() throws Exception {
        try (var h = harness(new InterceptingOperatorMetricGroup(), true)) {
            h.open();
            h.processElement(row(1, DAY), DAY);
            h.processElement(row(2, DAY + 5 * HOUR), DAY + 5 * HOUR);
            h.endInput();

            assertThat(visibleEventIds(versionDir())).containsExactly("e-1", "e-2");
            assertThat(hiddenParts(versionDir())).isEmpty();
            assertThat(h.extractOutputValues()).singleElement().satisfies(report -> {
                assertThat(report.endOfInput).isFalse();
                assertThat(report.watermark).isEqualTo(Long.MAX_VALUE);
                assertThat(report.partitions).containsExactly(DAY, DAY + 5 * HOUR);
            });
        }
    }

    @Test
    void rowsThatDoNotMatchTheSchemaAreCountedAndDropped() throws Exception {
        var metrics = new InterceptingOperatorMetricGroup();
        try (var h = harness(metrics, true)) {
            h.open();
            h.processElement(row(1, DAY), DAY);
            h.processElement(Row.of("short"), DAY); // wrong arity
            Object[] wrongClass = DatasetTestSupport.values(2, DAY);
            wrongClass[2] = 7; // Integer in a LONG column
            h.processElement(Row.of(wrongClass), DAY);
            Object[] nullRequired = DatasetTestSupport.values(3, DAY);
            nullRequired[0] = null; // required event_id
            h.processElement(Row.of(nullRequired), DAY);
            h.endInput();

            assertThat(counter(metrics, "rowsRejected")).isEqualTo(3);
            assertThat(counter(metrics, "rowsWritten")).isEqualTo(1);
            assertThat(visibleEventIds(versionDir())).containsExactly("e-1");
        }
    }
}
