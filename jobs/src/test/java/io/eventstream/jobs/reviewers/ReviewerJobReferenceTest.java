package io.eventstream.jobs.reviewers;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.reviewers.NaiveReviewerReference;
import io.eventstream.jobs.testing.FailOnce;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.MixedInput;
import io.eventstream.jobs.testing.ReviewerJobRun;
import io.eventstream.jobs.testing.ReviewerTestData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reviewer job against the naive reference on a generated year of activity in two projects
 * ({@link ReviewerTestData}): the command-line run ({@code eventstream run reviewers}, file source,
 * parallelism 2) writes every candidate row, label row and final online row of the reference, every
 * column, read back independently (DuckDB for the datasets, SQL for the SQLite tables). Runs at
 * parallelism 4 with user buckets, and at parallelism 1 through a failure, over the same year with
 * bad, duplicated, future-dated and late input mixed in write exactly the same.
 */
@ExtendWith(FlinkTestCluster.class)
class ReviewerJobReferenceTest {
    private static final long FAIL_AFTER = 15_000;

    @Test
    void candidatesLabelsAndOnlineTablesEqualTheNaiveReference() throws Exception {
        NaiveReviewerReference.Result expected = ReviewerTestData.expected();
        assertThat(expected.candidateRows())
                .as("candidate rows of the generated year")
                .hasSizeGreaterThan(20_000);
        assertThat(expected.labelRows()).as("label rows of the generated year").hasSizeGreaterThan(5_000);
        assertThat(expected.onlinePathRows())
                .as("online path rows of the generated year")
                .hasSizeGreaterThan(1_000);

        ReviewerTestData.cliRun().assertEqualsReference(expected, "eventstream run reviewers at parallelism 2");
    }

    /**
     * The same year with duplicates, conflicting copies, future-dated, malformed and very late events
     * mixed in ({@link MixedInput}) at parallelism 4, with 3 user buckets per project (a second keyed
     * function, {@code state.user_buckets}): exactly the reference's rows, the expected dead letters
     * and late rows.
     */
    @Test
    void mixedInputAtParallelism4GivesTheReferenceRowsPlusDeadLettersAndLateRows(@TempDir Path out) throws Exception {
        MixedInput mixed = ReviewerTestData.mixedInput();
        assertThat(mixed.deadLetters())
                .extracting(d -> d.get(1))
                .contains("DUPLICATE_CONFLICT", "FUTURE_TIME", "MALFORMED_JSON", "INVALID_FIELD", "BAD_TIMESTAMP");
        ReviewerJobRun run = JobUnderTest.files(ReviewerTestData.BUCKETS_JOB, mixed.file())
                .parallelism(4)
                .run(out);
        run.assertMixedRun(ReviewerTestData.expected(), mixed, "mixed input with user buckets at parallelism 4");
    }

    /**
     * The mixed input at parallelism 1 with a failure injected after 15,000 records, once a checkpoint
     * has completed: the job restarts from it (the deduplication's seen set, the project state on the
     * heap backend, buffered events, pending dataset files and online writes) and still ends with
     * exactly the reference's rows, dead letters and late rows. The same on RocksDB at parallelism 2 is
     * {@link ReviewerJobRocksDbTest}.
     */
    @Test
    void aFailureMidStreamAtParallelism1RestartsFromTheCheckpointWithoutLosingOrDuplicatingRows(@TempDir Path out)
            throws Exception {
        FailOnce.reset(FAIL_AFTER);
        ReviewerJobRun failed = JobUnderTest.files(
                        ReviewerTestData.JOB, ReviewerTestData.mixedInput().file())
                .parallelism(1)
                .restarts(3)
                .beforeTopology(FailOnce::insert)
                .run(out);
        FailOnce.assertFailedAndRestarted(FAIL_AFTER);

        failed.assertMixedRun(
                ReviewerTestData.expected(),
                ReviewerTestData.mixedInput(),
                "mixed input after a failure at parallelism 1");
    }
}
