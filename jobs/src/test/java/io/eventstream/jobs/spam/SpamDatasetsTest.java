package io.eventstream.jobs.spam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.testing.DuckDbDatasets;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.SpamJobUnderTest.SpamJobRun;
import io.eventstream.jobs.testing.SpamTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The datasets of a bounded run as readers see them: DuckDB with {@code hive_partitioning} gets the
 * documented column types (docs/datasets.md, "Types"), partitions match the UTC hour of the time
 * column, no hidden or in-progress file is left, and every hour partition is marked complete.
 * (Marks in a streaming run stopped midway: {@link SpamJobKafkaTest}.)
 */
@ExtendWith(FlinkTestCluster.class)
class SpamDatasetsTest {

    /** The documented DuckDB type of each column type. */
    private static final Map<String, String> DUCKDB_TYPES = Map.of(
            "STRING", "VARCHAR", "INT", "INTEGER", "LONG", "BIGINT", "DOUBLE", "DOUBLE", "BOOLEAN", "BOOLEAN",
            "TIMESTAMP_MILLIS", "TIMESTAMP WITH TIME ZONE");

    @Test
    void duckDbReadsTheDocumentedTypesWithHivePartitioning() throws Exception {
        SpamJobRun run = SpamTestData.cliRun();
        for (DatasetSchema schema : List.of(SpamTestData.FEATURE_SET.featureSchema(), SpamLabels.SCHEMA)) {
            Path version = run.version(schema.name());
            List<List<String>> expected = new ArrayList<>();
            for (Column column : schema.columns()) {
                expected.add(List.of(column.name(), DUCKDB_TYPES.get(column.type().name())));
            }
            expected.add(List.of("dt", "DATE"));
            expected.add(List.of("hour", "VARCHAR"));
            assertThat(DuckDbDatasets.describe(version)).as(schema.name()).isEqualTo(expected);

            List<Long> misplaced = new ArrayList<>();
            DuckDbDatasets.query("SELECT count(*) FROM " + DuckDbDatasets.readParquet(version)
                    + " WHERE strftime(timezone('UTC', \"" + schema.timeColumn() + "\"), '%Y-%m-%d %H')"
                    + " <> strftime(dt, '%Y-%m-%d') || ' ' || hour", rs -> misplaced.add(rs.getLong(1)));
            assertThat(misplaced).as("rows outside the UTC hour partition of their time").containsExactly(0L);
        }
        List<List<String>> features = DuckDbDatasets.describe(run.version(SpamFeatureSet.FEATURES_DATASET));
        assertThat(features).contains(List.of("event_time", "TIMESTAMP WITH TIME ZONE"), List.of("user_id", "BIGINT"),
                List.of("notes_1h", "INTEGER"), List.of("uppercase_ratio", "DOUBLE"), List.of("has_code_block", "BOOLEAN"),
                List.of("email_domain_class", "VARCHAR"), List.of("account_age_seconds", "BIGINT"));
    }

    @Test
    void aBoundedRunLeavesNoHiddenFileAndMarksEveryHourComplete() throws Exception {
        SpamJobRun run = SpamTestData.cliRun();
        for (Path version : run.versions().values()) {
            assertThat(version.resolve("_feature_set.json")).exists();
            assertThat(DuckDbDatasets.files(version)).as("hidden or in-progress files in " + version)
                    .noneMatch(f -> f.getFileName().toString().startsWith(".") || f.toString().contains("inprogress"));
            for (Path hour : hourPartitions(version)) {
                assertThat(hour.resolve("_SUCCESS")).as("completeness mark").exists();
                try (Stream<Path> files = Files.list(hour)) {
                    assertThat(files.map(f -> f.getFileName().toString()))
                            .allMatch(name -> name.equals("_SUCCESS") || name.matches("part-\\d+-.+\\.parquet"));
                }
            }
        }
        Path features = run.version(SpamFeatureSet.FEATURES_DATASET);
        DateTimeFormatter partition = DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);
        int time = SpamTestData.FEATURE_SET.featureSchema().timeIndex();
        assertThat(hourPartitions(features).stream().map(p -> features.relativize(p).toString()).toList())
                .as("one partition per UTC hour with feature rows")
                .isEqualTo(SpamTestData.expected().features().stream()
                        .map(row -> partition.format(Instant.ofEpochMilli((Long) row[time]))).distinct().sorted().toList())
                .hasSizeGreaterThan(400);
    }

    /** The {@code dt=.../hour=...} directories of a dataset version. */
    static List<Path> hourPartitions(Path version) throws IOException {
        if (!Files.exists(version)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(version, 2)) {
            return walk.filter(p -> p.getFileName().toString().startsWith("hour=")).sorted().toList();
        }
    }
}
