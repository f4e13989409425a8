package io.eventstream.jobs.reviewers;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.jobs.testing.FailOnce;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.LogCapture;
import io.eventstream.jobs.testing.ReviewerJobRun;
import io.eventstream.jobs.testing.ReviewerTestData;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reviewer job with its second keyed function ({@code state.user_buckets: 3},
 * {@link ReviewerBucketFunction}) on the RocksDB state backend with incremental checkpoints (project
 * and bucket state in per-entry {@code MapState}, see {@link MapStateReviewerState}): a failure after a completed
 * checkpoint in the middle of the mixed input, and the run still ends with exactly the reference's
 * datasets and online tables, no row lost or duplicated. RocksDB's own log shows that the keyed
 * state was built in RocksDB and that the restarted attempt restored it from an incremental
 * checkpoint.
 */
@ExtendWith(FlinkTestCluster.class)
class ReviewerJobRocksDbTest {
    private static final long FAIL_AFTER = 15_000;

    @Test
    void onRocksDbWithIncrementalCheckpointsAFailureLosesAndDuplicatesNothing(
            @TempDir Path out, @TempDir Path checkpoints) throws Exception {
        FailOnce.reset(FAIL_AFTER);
        ReviewerJobRun failed;
        try (LogCapture rocksDb = LogCapture.start("org.apache.flink.state.rocksdb");
                LogCapture mirror = LogCapture.start(ReviewerBucketFunction.class.getName())) {
            failed = JobUnderTest.files(
                            ReviewerTestData.BUCKETS_JOB,
                            ReviewerTestData.mixedInput().file())
                    .parallelism(2)
                    .restarts(3)
                    .environment(conf -> {
                        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
                        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
                        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
                        conf.set(
                                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                                checkpoints.toUri().toString());
                    })
                    .beforeTopology(FailOnce::insert)
                    .run(out);
            assertThat(rocksDb.containing("Finished building RocksDB keyed state-backend"))
                    .as("keyed state in RocksDB")
                    .isNotEmpty();
            assertThat(rocksDb.containing("Finished RocksDB incremental recovery"))
                    .as("the restarted attempt restored RocksDB state from an incremental checkpoint")
                    .isNotEmpty();
            assertThat(mirror.containing("stored tile keys mirrored in memory"))
                    .as("on RocksDB the buckets' stored tile keys are mirrored")
                    .isNotEmpty();
        }
        FailOnce.assertFailedAndRestarted(FAIL_AFTER);

        failed.assertMixedRun(
                ReviewerTestData.expected(),
                ReviewerTestData.mixedInput(),
                "mixed input with user buckets on RocksDB after a failure at parallelism 2");
    }
}
