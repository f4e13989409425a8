package io.eventstream.connectors.parquet;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.types.Row;

/** Shared schema, rows and readers of the dataset sink tests. */
final class DatasetTestSupport {
    /** 2024-05-01T00:00:00Z. */
    static final long DAY = 1_714_521_600_000L;

    static final long HOUR = HourPartition.HOUR_MILLIS;

    /** Every column type, required and nullable. */
    static final DatasetSchema SCHEMA = new DatasetSchema(
            "test_rows",
            List.of(
                    Column.required("event_id", ColumnType.STRING, "event id"),
                    Column.required("event_time", ColumnType.TIMESTAMP_MILLIS, "event time"),
                    Column.required("user_id", ColumnType.LONG, "user id"),
                    Column.nullable("project_id", ColumnType.LONG, "project id, null for user-level events"),
                    Column.nullable("text_length", ColumnType.INT, "characters"),
                    Column.nullable("uppercase_ratio", ColumnType.DOUBLE, "share of upper-case letters"),
                    Column.nullable("has_code_block", ColumnType.BOOLEAN, "whether the text has a code block"),
                    Column.nullable("content_type", ColumnType.STRING, "issue, note or merge_request")),
            "event_time");

    private DatasetTestSupport() {}

    /** A deterministic row for sequence number {@code i} at {@code time}; some values null. */
    static Object[] values(long i, long time) {
        return new Object[] {
            "e-" + i,
            time,
            1000 + i % 7,
            i % 5 == 0 ? null : 40 + i % 3,
            i % 4 == 0 ? null : (int) (i % 1000),
            i % 6 == 0 ? null : (i % 10) / 8.0,
            i % 9 == 0 ? null : i % 2 == 0,
            i % 3 == 0 ? null : "note"
        };
    }

    static Row row(long i, long time) {
        return DatasetRows.of(values(i, time));
    }

    /** A mock environment whose operator metrics can be read back. */
    static MockEnvironment environment(InterceptingOperatorMetricGroup metrics, int subtask, int parallelism) {
        return new MockEnvironmentBuilder()
                .setParallelism(parallelism)
                .setMaxParallelism(Math.max(parallelism, 128))
                .setSubtaskIndex(subtask)
                .setMetricGroup(new UnregisteredMetricGroups.UnregisteredTaskMetricGroup() {
                    @Override
                    public InternalOperatorMetricGroup getOrAddOperator(
                            OperatorID id, String name, Map<String, String> variables) {
                        return metrics;
                    }
                })
                .build();
    }

    static long counter(InterceptingOperatorMetricGroup metrics, String name) {
        return ((org.apache.flink.metrics.Counter) metrics.get(name)).getCount();
    }

    /** Every file under {@code dir} (relative paths, sorted). */
    static List<String> files(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Files a {@code *.parquet} glob sees (what DuckDB and friends read). */
    static List<String> visibleParquet(Path versionDir) {
        return files(versionDir).stream().filter(f -> f.endsWith(".parquet")).toList();
    }

    /** Hidden or in-progress files left anywhere under {@code dir}. */
    static List<String> hiddenParts(Path dir) {
        return files(dir).stream()
                .filter(f -> Path.of(f).getFileName().toString().startsWith(".part-"))
                .toList();
    }

    /** Runs a query with DuckDB and returns each row's values as strings ("null" for null). */
    static List<List<String>> duckdb(String sql) {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>(columns);
                for (int c = 1; c <= columns; c++) {
                    row.add(String.valueOf(rs.getObject(c)));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The event ids of all visible rows of a version, read with DuckDB, sorted. */
    static List<String> visibleEventIds(Path versionDir) {
        if (visibleParquet(versionDir).isEmpty()) {
            return List.of();
        }
        return duckdb("SELECT event_id FROM read_parquet('" + versionDir + "/*/*/*.parquet') ORDER BY event_id")
                .stream()
                .map(r -> r.get(0))
                .toList();
    }
}
