package io.eventstream.connectors.parquet;

import static io.eventstream.connectors.parquet.DatasetTestSupport.DAY;
import static io.eventstream.connectors.parquet.DatasetTestSupport.HOUR;
import static io.eventstream.connectors.parquet.DatasetTestSupport.SCHEMA;
import static io.eventstream.connectors.parquet.DatasetTestSupport.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset metrics an operator scrapes: commit freshness at the writer, last completed hour at the committer. */
class DatasetFreshnessMetricsTest {

    @TempDir
    Path root;

    /** Intercepts metrics of key/value subgroups too (e.g. {@code dataset=<name>}), by metric name. */
    static final class FlatMetricGroup extends InterceptingOperatorMetricGroup {
        final Map<String, String> labels = new java.util.HashMap<>();

        @Override
        public MetricGroup addGroup(String key, String value) {
            labels.put(key, value);
            return this;
        }
    }

    @Test
    void commitFreshnessCountsTheRowsOfEachCompletedCheckpointWhenItCompletes() throws Exception {
        FlatMetricGroup metrics = new FlatMetricGroup();
        DatasetWriterOperator writer = new DatasetWriterOperator(
                org.apache.flink.core.fs.Path.fromLocalFile(
                        root.resolve("test_rows/v1").toFile()),
                SCHEMA,
                Compression.ZSTD,
                Map.of(DatasetWriteSupport.FINGERPRINT_KEY, "fp-1"),
                false);
        long now = System.currentTimeMillis();
        try (OneInputStreamOperatorTestHarness<Row, CommitReport> h =
                new OneInputStreamOperatorTestHarness<>(writer, DatasetTestSupport.environment(metrics, 0, 1))) {
            h.open();
            Histogram freshness = (Histogram) metrics.get("freshnessMs");
            assertThat(metrics.labels).containsEntry("dataset", "test_rows");

            h.processElement(row(1, now - 60_000), now - 60_000);
            h.processElement(row(2, now - 30_000), now - 30_000);
            h.snapshot(1, 0);
            h.processElement(row(3, now - 10_000), now - 10_000); // after checkpoint 1: visible with 2
            assertThat(freshness.getCount())
                    .as("nothing is visible before the checkpoint completes")
                    .isZero();

            h.notifyOfCompletedCheckpoint(1);
            long after1 = System.currentTimeMillis();
            assertThat(freshness.getCount()).isEqualTo(2);
            assertThat(freshness.getStatistics().getMax()).isBetween(60_000L, 60_000L + (after1 - now));
            assertThat(freshness.getStatistics().getMin()).isBetween(30_000L, 30_000L + (after1 - now));

            h.snapshot(2, 0);
            h.notifyOfCompletedCheckpoint(2);
            long after2 = System.currentTimeMillis();
            assertThat(freshness.getCount()).isEqualTo(3);
            assertThat(freshness.getStatistics().getMin()).isBetween(10_000L, 10_000L + (after2 - now));
        }
    }

    @Test
    void lastCompletedHourIsTheStartOfTheNewestHourMarkedComplete() throws Exception {
        FlatMetricGroup metrics = new FlatMetricGroup();
        Path versionDir = root.resolve("spam_features/v1");
        try (OneInputStreamOperatorTestHarness<CommitReport, Void> h = new OneInputStreamOperatorTestHarness<>(
                new PartitionCommitter(org.apache.flink.core.fs.Path.fromLocalFile(versionDir.toFile()), 0),
                DatasetTestSupport.environment(metrics, 0, 1))) {
            h.open();
            assertThat(metrics.labels).containsEntry("dataset", "spam_features");
            @SuppressWarnings("unchecked")
            Gauge<Long> lastCompletedHour = (Gauge<Long>) metrics.get("lastCompletedHour");
            assertThat(lastCompletedHour.getValue()).isZero();

            h.processElement(CommitReport.committed(1, 0, 1, DAY + HOUR, new long[] {DAY, DAY + HOUR}), 0);
            assertThat(lastCompletedHour.getValue()).isEqualTo(DAY / 1000);

            h.processElement(CommitReport.committed(2, 0, 1, DAY + 3 * HOUR, new long[] {DAY + 2 * HOUR}), 0);
            assertThat(lastCompletedHour.getValue()).isEqualTo((DAY + 2 * HOUR) / 1000);
        }
    }
}
