package io.eventstream.jobs.spam;

import io.eventstream.jobs.testing.FailOnce;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.SpamJobRun;
import io.eventstream.jobs.testing.SpamTestData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure in the middle of the stream, over the events with bad, duplicated, future-dated and late
 * input mixed in ({@link SpamTestData#mixedInput()}): the job restarts from its last completed
 * checkpoint (the deduplication's seen set with it) and ends with exactly the reference's datasets
 * and online table, the expected dead letters and late rows: no row lost, none duplicated.
 */
@ExtendWith(FlinkTestCluster.class)
class SpamJobFailureTest {

    @Test
    void aFailureMidStreamRestartsFromTheCheckpointWithoutLosingOrDuplicatingRows(@TempDir Path out) throws Exception {
        FailOnce.reset(40_000);
        SpamJobRun failed = JobUnderTest.files(
                        SpamTestData.JOB, SpamTestData.mixedInput().file())
                .parallelism(2)
                .restarts(3)
                .beforeTopology(FailOnce::insert)
                .run(out);
        FailOnce.assertFailedAndRestarted(40_000);
        SpamTestData.assertMixedRun(failed, "after a failure at parallelism 2");
    }
}
