package io.eventstream.jobs.reviewers;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.reviewers.NaiveReviewerReference;
import io.eventstream.jobs.testing.DatasetChecks;
import io.eventstream.jobs.testing.DuckDbDatasets;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.ReviewerJobRun;
import io.eventstream.jobs.testing.ReviewerTestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Both reviewer datasets of a bounded run ({@code eventstream run reviewers}) as readers see them:
 * DuckDB with {@code hive_partitioning} gets the types documented in docs/reviewer-features.md
 * (checked against the feature set's schema, which generates that page), every row in the UTC hour
 * partition of its time column, as many rows as the naive reference has, one partition per hour
 * with rows, {@code _feature_set.json}, {@code _SUCCESS} everywhere and no hidden file.
 */
@ExtendWith(FlinkTestCluster.class)
class ReviewerDatasetsTest {

    @Test
    void duckDbReadsBothDatasetsWithTheDocumentedTypesAndEveryRow() throws Exception {
        ReviewerJobRun run = ReviewerTestData.cliRun();
        NaiveReviewerReference.Result expected = ReviewerTestData.expected();
        Map<DatasetSchema, List<Object[]>> datasets = Map.of(
                ReviewerTestData.FEATURE_SET.candidateSchema(), expected.candidateRows(),
                ReviewerTestData.FEATURE_SET.labelSchema(), expected.labelRows());
        for (Map.Entry<DatasetSchema, List<Object[]>> dataset : datasets.entrySet()) {
            DatasetSchema schema = dataset.getKey();
            Path version = run.version(schema.name());
            DatasetChecks.assertDocumentedTypesAndPartitions(version, schema);
            DatasetChecks.assertCompleteAfterBoundedRun(version);

            List<Long> count = new ArrayList<>();
            DuckDbDatasets.query(
                    "SELECT count(*) FROM " + DuckDbDatasets.readParquet(version), rs -> count.add(rs.getLong(1)));
            assertThat(count).as(schema.name() + " rows").containsExactly((long)
                    dataset.getValue().size());
            assertThat(DatasetChecks.partitionsIn(version))
                    .as(schema.name() + ": one partition per UTC hour with rows")
                    .isEqualTo(DatasetChecks.partitionsOf(dataset.getValue(), schema));
        }
        // A few columns spelled out, as docs/reviewer-features.md lists them (the generic check derives them).
        assertThat(DuckDbDatasets.describe(run.version(
                        ReviewerTestData.FEATURE_SET.candidateSchema().name())))
                .contains(
                        List.of("event_time", "TIMESTAMP WITH TIME ZONE"),
                        List.of("candidate_id", "BIGINT"),
                        List.of("candidate_rank", "INTEGER"),
                        List.of("paths_truncated", "BOOLEAN"),
                        List.of("trigger", "VARCHAR"),
                        List.of("author_tenure_days", "BIGINT"),
                        List.of("reviews_365d", "INTEGER"));
        assertThat(DuckDbDatasets.describe(
                        run.version(ReviewerTestData.FEATURE_SET.labelSchema().name())))
                .contains(
                        List.of("label_time", "TIMESTAMP WITH TIME ZONE"),
                        List.of("kind", "VARCHAR"),
                        List.of("mr_iid", "BIGINT"));
    }
}
