package io.eventstream.jobs.testing;

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
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads datasets back the way a data scientist would: DuckDB over the {@code *.parquet} glob with
 * {@code hive_partitioning}, independent of the Parquet writer the job uses. Rows come back typed as
 * the job's rows are ({@code Integer}, {@code Long}, {@code Double}, {@code Boolean}, {@code String},
 * timestamps as {@code Long} epoch millis via {@code epoch_ms}), so they compare with the reference
 * value by value.
 */
public final class DuckDbDatasets {

    private DuckDbDatasets() {}

    /** The glob expression of a dataset version, as the docs tell readers to use it. */
    public static String readParquet(Path versionDir) {
        return "read_parquet('" + versionDir.toAbsolutePath() + "/*/*/*.parquet', hive_partitioning = true)";
    }

    /** Every row of a dataset version in schema column order; empty when no part file is visible. */
    public static List<Object[]> rows(Path versionDir, DatasetSchema schema) {
        if (parquetFiles(versionDir).isEmpty()) {
            return List.of();
        }
        String columns = schema.columns().stream()
                .map(c -> c.type() == ColumnType.TIMESTAMP_MILLIS
                        ? "epoch_ms(\"" + c.name() + "\")"
                        : "\"" + c.name() + "\"")
                .collect(Collectors.joining(", "));
        List<Object[]> rows = new ArrayList<>();
        query("SELECT " + columns + " FROM " + readParquet(versionDir), rs -> {
            Object[] row = new Object[schema.columns().size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = typed(schema.columns().get(i), rs, i + 1);
            }
            rows.add(row);
        });
        return rows;
    }

    /** Column name and DuckDB type of each column of the dataset version (partition columns included). */
    public static List<List<String>> describe(Path versionDir) {
        List<List<String>> columns = new ArrayList<>();
        query(
                "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + readParquet(versionDir) + ")",
                rs -> columns.add(List.of(rs.getString(1), rs.getString(2))));
        return columns;
    }

    /** Runs a query, handing each result row to {@code row}. */
    public static void query(String sql, RowConsumer row) {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                row.accept(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB failed on: " + sql, e);
        }
    }

    /** The visible part files of a version: what a {@code *.parquet} glob sees. */
    public static List<Path> parquetFiles(Path versionDir) {
        return files(versionDir).stream()
                .filter(f -> f.getFileName().toString().endsWith(".parquet"))
                .toList();
    }

    /** Every regular file under a directory, sorted. */
    public static List<Path> files(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object typed(Column column, ResultSet rs, int index) throws SQLException {
        Object value = switch (column.type()) {
            case STRING -> rs.getString(index);
            case INT -> rs.getInt(index);
            case LONG, TIMESTAMP_MILLIS -> rs.getLong(index);
            case DOUBLE -> rs.getDouble(index);
            case BOOLEAN -> rs.getBoolean(index);
        };
        return rs.wasNull() ? null : value;
    }

    /** One result row. */
    @FunctionalInterface
    public interface RowConsumer {
        void accept(ResultSet row) throws SQLException;
    }
}
