package io.eventstream.jobs.spam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.testing.DatasetChecks;
import io.eventstream.jobs.testing.DuckDbDatasets;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.SpamJobRun;
import io.eventstream.jobs.testing.SpamTestData;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void duckDbReadsTheDocumentedTypesWithHivePartitioning() throws Exception {
        SpamJobRun run = SpamTestData.cliRun();
        for (DatasetSchema schema : List.of(SpamTestData.FEATURE_SET.featureSchema(), SpamLabels.SCHEMA)) {
            DatasetChecks.assertDocumentedTypesAndPartitions(run.version(schema.name()), schema);
        }
        List<List<String>> features = DuckDbDatasets.describe(run.version(SpamFeatureSet.FEATURES_DATASET));
        assertThat(features)
                .contains(
                        List.of("event_time", "TIMESTAMP WITH TIME ZONE"),
                        List.of("user_id", "BIGINT"),
                        List.of("notes_1h", "INTEGER"),
                        List.of("uppercase_ratio", "DOUBLE"),
                        List.of("has_code_block", "BOOLEAN"),
                        List.of("email_domain_class", "VARCHAR"),
                        List.of("account_age_seconds", "BIGINT"));
    }

    @Test
    void aBoundedRunLeavesNoHiddenFileAndMarksEveryHourComplete() throws Exception {
        SpamJobRun run = SpamTestData.cliRun();
        for (Path version : run.versions().values()) {
            DatasetChecks.assertCompleteAfterBoundedRun(version);
        }
        assertThat(DatasetChecks.partitionsIn(run.version(SpamFeatureSet.FEATURES_DATASET)))
                .as("one partition per UTC hour with feature rows")
                .isEqualTo(DatasetChecks.partitionsOf(
                        SpamTestData.expected().features(), SpamTestData.FEATURE_SET.featureSchema()))
                .hasSizeGreaterThan(400);
    }
}
