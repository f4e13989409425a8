package io.eventstream.jobs.spam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.testing.FailOnce;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.RowSets;
import io.eventstream.jobs.testing.SpamJobRun;
import io.eventstream.jobs.testing.SpamTestData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure in the middle of the stream: the job restarts from its last completed checkpoint and
 * ends with exactly the datasets and online table of a run without failure (the command-line run):
 * no row lost, none duplicated, the online table identical.
 */
@ExtendWith(FlinkTestCluster.class)
class SpamJobFailureTest {

    @Test
    void aFailureMidStreamRestartsFromTheCheckpointWithoutLosingOrDuplicatingRows(@TempDir Path out) throws Exception {
        FailOnce.reset(40_000);
        SpamJobRun failed = JobUnderTest.files(SpamTestData.JOB, SpamTestData.eventsFile()).parallelism(2).restarts(3)
                .beforeTopology(FailOnce::insert)
                .run(out);
        FailOnce.assertFailedAndRestarted(40_000);

        SpamJobRun clean = SpamTestData.cliRun();
        RowSets.assertSameRows("spam_features after a failure", SpamTestData.FEATURE_SET.featureSchema(), "event_id",
                clean.features(), failed.features());
        RowSets.assertSameRows("spam_labels after a failure", SpamLabels.SCHEMA, "label_event_id", clean.labels(),
                failed.labels());
        assertThat(failed.lateEvents()).isEmpty();
        assertThat(failed.deadLetters()).isEmpty();
        RowSets.assertSameRows("online table after a failure", SpamTestData.FEATURE_SET.onlineSchema(),
                clean.online().rows(), failed.online().rows());
    }
}
