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
 * A failure in the middle of the generated year: the reviewer job restarts from its last completed
 * checkpoint (project state, buffered events, pending dataset files and online writes) and ends
 * with exactly the datasets and online tables of the run without failure: no candidate or label
 * row lost or duplicated (the datasets are exactly-once), the online tables identical.
 */
@ExtendWith(FlinkTestCluster.class)
class ReviewerJobFailureTest {
    private static final long FAIL_AFTER = 15_000;

    @Test
    void aFailureMidStreamRestartsFromTheCheckpointWithoutLosingOrDuplicatingRows(@TempDir Path out) throws Exception {
        FailOnce.reset(FAIL_AFTER);
        ReviewerJobRun failed = JobUnderTest.files(ReviewerTestData.JOB, ReviewerTestData.eventsFile())
                .parallelism(2).restarts(3).beforeTopology(FailOnce::insert).run(out);
        FailOnce.assertFailedAndRestarted(FAIL_AFTER);

        failed.assertSameOutputsAs(ReviewerTestData.cliRun(), "after a failure");
    }
}
