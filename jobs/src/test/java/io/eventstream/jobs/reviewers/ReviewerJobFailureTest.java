package io.eventstream.jobs.reviewers;

import io.eventstream.jobs.testing.FailOnce;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.ReviewerJobRun;
import io.eventstream.jobs.testing.ReviewerTestData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure in the middle of the generated year, with bad, duplicated, future-dated and late input
 * mixed in ({@link ReviewerTestData#mixedInput()}): the reviewer job restarts from its last completed
 * checkpoint (the deduplication's seen set, project state, buffered events, pending dataset files
 * and online writes) and ends with exactly the reference's datasets and online tables, the expected
 * dead letters and late rows: no row lost or duplicated.
 */
@ExtendWith(FlinkTestCluster.class)
class ReviewerJobFailureTest {
    private static final long FAIL_AFTER = 15_000;

    @Test
    void aFailureMidStreamRestartsFromTheCheckpointWithoutLosingOrDuplicatingRows(@TempDir Path out) throws Exception {
        FailOnce.reset(FAIL_AFTER);
        ReviewerJobRun failed = JobUnderTest.files(ReviewerTestData.JOB, ReviewerTestData.mixedInput().file())
                .parallelism(2).restarts(3).beforeTopology(FailOnce::insert).run(out);
        FailOnce.assertFailedAndRestarted(FAIL_AFTER);

        failed.assertMixedRun(ReviewerTestData.expected(), ReviewerTestData.mixedInput(),
                "mixed input after a failure at parallelism 2");
    }
}
