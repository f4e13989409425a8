package io.eventstream.connectors.parquet;

import static io.eventstream.connectors.parquet.DatasetTestSupport.DAY;
import static io.eventstream.connectors.parquet.DatasetTestSupport.HOUR;
import static io.eventstream.connectors.parquet.DatasetTestSupport.SCHEMA;
import static io.eventstream.connectors.parquet.DatasetTestSupport.duckdb;
import static io.eventstream.connectors.parquet.DatasetTestSupport.files;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DuckDB reads a written dataset with {@code hive_partitioning} and gets the documented types and values. */
class DatasetDuckDbTest {

    @TempDir
    Path root;

    @Test
    void duckDbReadsTheDocumentedTypesValuesAndPartitions() throws Exception {
        Path versionDir = DatasetSink.builder()
                .root(root)
                .schema(SCHEMA)
                .featureSet("{\"features\":[]}", "fp-duck")
                .build()
                .versionDir();
        write(
                versionDir,
                Row.of("a-1", DAY + HOUR - 1, -5L, Long.MAX_VALUE, Integer.MIN_VALUE, 0.1, true, "ünï 漢字"),
                Row.of("a-2", DAY + HOUR, 0L, null, null, null, null, ""),
                Row.of("a-3", DAY + 24 * HOUR - 1, 3L, 7L, Integer.MAX_VALUE, -0.5, false, null),
                Row.of("a-4", DAY + 24 * HOUR, Long.MIN_VALUE, -1L, 0, 1e300, null, "note"));
        String glob =
                "read_parquet('" + root.toAbsolutePath() + "/test_rows/v1/*/*/*.parquet', hive_partitioning = true)";

        assertThat(duckdb("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + glob + ")"))
                .containsExactly(
                        List.of("event_id", "VARCHAR"),
                        List.of("event_time", "TIMESTAMP WITH TIME ZONE"),
                        List.of("user_id", "BIGINT"),
                        List.of("project_id", "BIGINT"),
                        List.of("text_length", "INTEGER"),
                        List.of("uppercase_ratio", "DOUBLE"),
                        List.of("has_code_block", "BOOLEAN"),
                        List.of("content_type", "VARCHAR"),
                        List.of("dt", "DATE"),
                        List.of("hour", "VARCHAR"));

        assertThat(duckdb("SELECT event_id, epoch_ms(event_time), user_id, project_id, text_length, uppercase_ratio,"
                        + " has_code_block, content_type, strftime(dt, '%Y-%m-%d'), hour,"
                        + " event_time = TIMESTAMPTZ '2024-05-01 00:59:59.999+00' FROM " + glob + " ORDER BY event_id"))
                .containsExactly(
                        List.of(
                                "a-1",
                                "1714525199999",
                                "-5",
                                "9223372036854775807",
                                "-2147483648",
                                "0.1",
                                "true",
                                "ünï 漢字",
                                "2024-05-01",
                                "00",
                                "true"),
                        List.of(
                                "a-2",
                                "1714525200000",
                                "0",
                                "null",
                                "null",
                                "null",
                                "null",
                                "",
                                "2024-05-01",
                                "01",
                                "false"),
                        List.of(
                                "a-3",
                                "1714607999999",
                                "3",
                                "7",
                                "2147483647",
                                "-0.5",
                                "false",
                                "null",
                                "2024-05-01",
                                "23",
                                "false"),
                        List.of(
                                "a-4",
                                "1714608000000",
                                "-9223372036854775808",
                                "-1",
                                "0",
                                "1.0E300",
                                "null",
                                "note",
                                "2024-05-02",
                                "00",
                                "false"));

        String oneFile = "'"
                + versionDir.resolve(files(versionDir).stream()
                        .filter(f -> f.endsWith(".parquet"))
                        .findFirst()
                        .orElseThrow())
                + "'";
        assertThat(duckdb("SELECT name, repetition_type, logical_type FROM parquet_schema(" + oneFile + ")"
                        + " WHERE name IN ('event_id', 'event_time', 'project_id') ORDER BY name"))
                .satisfiesExactly(
                        id -> assertThat(id)
                                .startsWith("event_id", "REQUIRED")
                                .last()
                                .asString()
                                .contains("StringType"),
                        time -> assertThat(time)
                                .startsWith("event_time", "REQUIRED")
                                .last()
                                .asString()
                                .contains("TimestampType(isAdjustedToUTC=1")
                                .contains("MILLIS"),
                        project -> assertThat(project).startsWith("project_id", "OPTIONAL"));
        assertThat(duckdb("SELECT DISTINCT compression FROM parquet_metadata(" + oneFile + ")"))
                .containsExactly(List.of("ZSTD"));
        assertThat(duckdb("SELECT decode(value) FROM parquet_kv_metadata(" + oneFile + ")" + " WHERE decode(key) = '"
                        + DatasetWriteSupport.FINGERPRINT_KEY + "'"))
                .containsExactly(List.of("fp-duck"));
        assertThat(files(versionDir))
                .filteredOn(f -> f.endsWith("_SUCCESS"))
                .containsExactly(
                        "dt=2024-05-01/hour=00/_SUCCESS", "dt=2024-05-01/hour=01/_SUCCESS",
                        "dt=2024-05-01/hour=23/_SUCCESS", "dt=2024-05-02/hour=00/_SUCCESS");
    }

    /** Writes rows through the writer and committer operators, as a job without checkpoints does. */
    private static void write(Path localVersionDir, Row... rows) throws Exception {
        var versionDir = new org.apache.flink.core.fs.Path(localVersionDir.toUri());
        List<CommitReport> reports;
        DatasetWriterOperator writer = new DatasetWriterOperator(
                versionDir, SCHEMA, Compression.ZSTD, Map.of(DatasetWriteSupport.FINGERPRINT_KEY, "fp-duck"), true);
        try (var h = new OneInputStreamOperatorTestHarness<Row, CommitReport>(
                writer, DatasetTestSupport.environment(new InterceptingOperatorMetricGroup(), 0, 1))) {
            h.open();
            for (Row row : rows) {
                h.processElement(row, 0);
            }
            h.endInput();
            reports = h.extractOutputValues();
        }
        try (var h = new OneInputStreamOperatorTestHarness<CommitReport, Void>(
                new PartitionCommitter(versionDir, 0),
                DatasetTestSupport.environment(new InterceptingOperatorMetricGroup(), 0, 1))) {
            h.open();
            for (CommitReport report : reports) {
                h.processElement(report, 0);
            }
        }
    }
}
