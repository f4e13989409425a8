package io.eventstream.jobs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What every dataset must look like to its readers (docs/datasets.md), checked on the files a run
 * left: the documented DuckDB types, rows in the UTC hour partition of their time column, no hidden
 * or in-progress file, and, after a bounded run, {@code _SUCCESS} in every hour partition.
 */
public final class DatasetChecks {

    /** The documented DuckDB type of each column type (docs/datasets.md, "Types"). */
    public static final Map<ColumnType, String> DUCKDB_TYPES = Map.of(
            ColumnType.STRING,
            "VARCHAR",
            ColumnType.INT,
            "INTEGER",
            ColumnType.LONG,
            "BIGINT",
            ColumnType.DOUBLE,
            "DOUBLE",
            ColumnType.BOOLEAN,
            "BOOLEAN",
            ColumnType.TIMESTAMP_MILLIS,
            "TIMESTAMP WITH TIME ZONE");

    /** The hour partition directory of a time, relative to the version directory. */
    public static final DateTimeFormatter PARTITION =
            DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);

    private DatasetChecks() {}

    /**
     * DuckDB with {@code hive_partitioning} sees the schema's columns with their documented types,
     * then {@code dt} and {@code hour}; every row lies in the UTC hour partition of its time column.
     */
    public static void assertDocumentedTypesAndPartitions(Path version, DatasetSchema schema) {
        List<List<String>> expected = new ArrayList<>();
        for (Column column : schema.columns()) {
            expected.add(List.of(column.name(), DUCKDB_TYPES.get(column.type())));
        }
        expected.add(List.of("dt", "DATE"));
        expected.add(List.of("hour", "VARCHAR"));
        assertThat(DuckDbDatasets.describe(version))
                .as(schema.name() + " as DuckDB reads it")
                .isEqualTo(expected);

        List<Long> misplaced = new ArrayList<>();
        DuckDbDatasets.query(
                "SELECT count(*) FROM " + DuckDbDatasets.readParquet(version)
                        + " WHERE strftime(timezone('UTC', \"" + schema.timeColumn() + "\"), '%Y-%m-%d %H')"
                        + " <> strftime(dt, '%Y-%m-%d') || ' ' || hour",
                rs -> misplaced.add(rs.getLong(1)));
        assertThat(misplaced)
                .as(schema.name() + ": rows outside the UTC hour partition of their time")
                .containsExactly(0L);
    }

    /**
     * A dataset version after a bounded run: {@code _feature_set.json} at its root, no hidden or
     * in-progress file, and every hour partition marked {@code _SUCCESS} holding only part files.
     */
    public static void assertCompleteAfterBoundedRun(Path version) {
        assertThat(version.resolve("_feature_set.json")).exists();
        assertThat(DuckDbDatasets.files(version))
                .as("hidden or in-progress files in " + version)
                .noneMatch(f -> f.getFileName().toString().startsWith(".")
                        || f.toString().contains("inprogress"));
        for (Path hour : hourPartitions(version)) {
            assertThat(hour.resolve("_SUCCESS")).as("completeness mark").exists();
            try (Stream<Path> files = Files.list(hour)) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .allMatch(name -> name.equals("_SUCCESS") || name.matches("part-\\d+-.+\\.parquet"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The hour partitions ({@code dt=.../hour=...}, relative) the rows belong in, sorted. */
    public static List<String> partitionsOf(Collection<Object[]> rows, DatasetSchema schema) {
        int time = schema.timeIndex();
        return rows.stream()
                .map(row -> PARTITION.format(Instant.ofEpochMilli((Long) row[time])))
                .distinct()
                .sorted()
                .toList();
    }

    /** The hour partitions a version holds ({@code dt=.../hour=...}, relative), sorted. */
    public static List<String> partitionsIn(Path version) {
        return hourPartitions(version).stream()
                .map(p -> version.relativize(p).toString())
                .toList();
    }

    /** The {@code dt=.../hour=...} directories of a dataset version. */
    public static List<Path> hourPartitions(Path version) {
        if (!Files.exists(version)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(version, 2)) {
            return walk.filter(p -> p.getFileName().toString().startsWith("hour="))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
