package io.eventstream.jobs.reviewers;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.reviewers.NaiveReviewerReference;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.MixedInput;
import io.eventstream.jobs.testing.ReviewerJobRun;
import io.eventstream.jobs.testing.ReviewerTestData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reviewer job against the naive reference on a generated year of activity in two projects
 * ({@link ReviewerTestData}): the command-line run ({@code eventstream run reviewers}, file source,
 * parallelism 2) writes every candidate row, label row and final online row of the reference, every
 * column, read back independently (DuckDB for the datasets, SQL for the SQLite tables). Runs at
 * parallelism 1 and 4 over the same year with bad, duplicated, future-dated and late input mixed in
 * write exactly the same.
 */
@ExtendWith(FlinkTestCluster.class)
class ReviewerJobReferenceTest {

    @Test
    void candidatesLabelsAndOnlineTablesEqualTheNaiveReference() throws Exception {
        NaiveReviewerReference.Result expected = ReviewerTestData.expected();
        assertThat(expected.candidateRows()).as("candidate rows of the generated year").hasSizeGreaterThan(20_000);
        assertThat(expected.labelRows()).as("label rows of the generated year").hasSizeGreaterThan(5_000);
        assertThat(expected.onlinePathRows()).as("online path rows of the generated year").hasSizeGreaterThan(1_000);

        ReviewerTestData.cliRun().assertEqualsReference(expected, "eventstream run reviewers at parallelism 2");
    }

    /**
     * The same year with duplicates, conflicting copies, future-dated, malformed and very late events
     * mixed in ({@link MixedInput}), at parallelism 1 and 4 (2, after a failure, is
     * {@link ReviewerJobFailureTest}): exactly the reference's rows, the expected dead letters and late rows.
     */
    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 4})
    void mixedInputGivesTheReferenceRowsPlusDeadLettersAndLateRows(int parallelism, @TempDir Path out) throws Exception {
        MixedInput mixed = ReviewerTestData.mixedInput();
        assertThat(mixed.deadLetters()).extracting(d -> d.get(1)).contains("DUPLICATE_CONFLICT", "FUTURE_TIME",
                "MALFORMED_JSON", "INVALID_FIELD", "BAD_TIMESTAMP");
        ReviewerJobRun run = JobUnderTest.files(ReviewerTestData.JOB, mixed.file()).parallelism(parallelism).run(out);
        run.assertMixedRun(ReviewerTestData.expected(), mixed, "mixed input at parallelism " + parallelism);
    }
}
