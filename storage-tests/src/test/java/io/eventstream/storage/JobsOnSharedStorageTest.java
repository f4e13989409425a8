package io.eventstream.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.reviewers.ReviewerOutputs;
import io.eventstream.jobs.reviewers.ReviewerTopology;
import io.eventstream.jobs.spam.SpamOutputs;
import io.eventstream.jobs.spam.SpamTopology;
import io.eventstream.jobs.testing.DatasetChecks;
import io.eventstream.jobs.testing.FailOnce;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobRun;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.ReviewerJobRun;
import io.eventstream.jobs.testing.ReviewerTestData;
import io.eventstream.jobs.testing.RowSets;
import io.eventstream.jobs.testing.SpamJobRun;
import io.eventstream.jobs.testing.SpamTestData;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both jobs at parallelism 2 write their datasets to a real S3 API server and to a real HDFS, with
 * a failure injected mid-run after a checkpoint completed: the datasets hold exactly the rows of
 * the local-disk run of the command line over the same events (none lost, none duplicated), the
 * same hours are marked {@code _SUCCESS}, and no hidden or unfinished file is left. The datasets
 * are copied back to the local disk and read there with DuckDB. Small streams ({@link SmallEvents})
 * keep the four runs to about a minute and a half.
 */
@ExtendWith({FlinkTestCluster.class, SharedStorage.class})
class JobsOnSharedStorageTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"s3", "hdfs"})
    void spamJobAfterAFailureWritesTheRowsOfTheLocalRun(String filesystem, @TempDir Path out) throws Exception {
        String root = root(filesystem, "spam");
        Map<String, org.apache.flink.core.fs.Path> remote = new LinkedHashMap<>();
        JobUnderTest.Job<SpamJobRun> job = spamOnRoot(root, remote);

        long failAfter = SmallEvents.failAfter();
        FailOnce.reset(failAfter);
        SpamJobRun failed = JobUnderTest.files(job, SmallEvents.SPAM.file())
                .parallelism(2)
                .restarts(3)
                .beforeTopology(FailOnce::insert)
                .run(out);
        FailOnce.assertFailedAndRestarted(failAfter);
        assertThat(remote.values()).allMatch(version -> version.toString().startsWith(root));
        copyBack(remote, failed);

        SpamJobRun local = SmallEvents.spamLocalRun();
        assertThat(local.features()).as("feature rows of the local run").isNotEmpty();
        assertThat(local.labels()).as("label rows of the local run").isNotEmpty();
        RowSets.assertSameRows(
                "spam_features on " + filesystem,
                SpamTestData.FEATURE_SET.featureSchema(),
                "event_id",
                local.features(),
                failed.features());
        RowSets.assertSameRows(
                "spam_labels on " + filesystem, SpamLabels.SCHEMA, "label_event_id", local.labels(), failed.labels());
        assertThat(failed.lateEvents()).isEmpty();
        assertThat(failed.deadLetters()).isEmpty();
        assertThat(DatasetChecks.partitionsIn(failed.versions().get(SpamFeatureSet.FEATURES_DATASET)))
                .as("hours of spam_features")
                .hasSizeGreaterThan(10);
        assertSameCompleteHours(local, failed, filesystem);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"s3", "hdfs"})
    void reviewerJobAfterAFailureWritesTheRowsOfTheLocalRun(String filesystem, @TempDir Path out) throws Exception {
        String root = root(filesystem, "reviewers");
        Map<String, org.apache.flink.core.fs.Path> remote = new LinkedHashMap<>();
        JobUnderTest.Job<ReviewerJobRun> job = onRoot(
                ReviewerTestData.JOB,
                remote,
                (env, source, online) -> ReviewerTopology.defineWorkflow(
                        env, source, ReviewerTestData.FEATURE_SET, new ReviewerOutputs(root, online, false)));

        long failAfter = SmallEvents.failAfter();
        FailOnce.reset(failAfter);
        ReviewerJobRun failed = JobUnderTest.files(job, SmallEvents.REVIEWERS.file())
                .parallelism(2)
                .restarts(3)
                .beforeTopology(FailOnce::insert)
                .run(out);
        FailOnce.assertFailedAndRestarted(failAfter);
        assertThat(remote.values()).allMatch(version -> version.toString().startsWith(root));
        copyBack(remote, failed);

        ReviewerJobRun local = SmallEvents.reviewersLocalRun();
        assertThat(local.candidates()).as("candidate rows of the local run").isNotEmpty();
        assertThat(local.labels()).as("label rows of the local run").isNotEmpty();
        failed.assertSameOutputsAs(local, "on " + filesystem + " after a failure");
        assertThat(DatasetChecks.partitionsIn(failed.versions().get(ReviewerFeatureSet.CANDIDATES_DATASET)))
                .as("hours of the candidates")
                .hasSizeGreaterThan(5);
        assertSameCompleteHours(local, failed, filesystem);
    }

    /**
     * Every dataset of {@code remote} (copied back) and of the local run is complete (only part
     * files and {@code _SUCCESS} in every hour, nothing hidden or in progress), and both have the
     * same hour partitions.
     */
    private static void assertSameCompleteHours(JobRun local, JobRun remote, String filesystem) {
        remote.versions().forEach((dataset, version) -> {
            Path localVersion = local.versions().get(dataset);
            DatasetChecks.assertCompleteAfterBoundedRun(localVersion);
            DatasetChecks.assertCompleteAfterBoundedRun(version);
            assertThat(DatasetChecks.partitionsIn(version))
                    .as(dataset + " hours on " + filesystem)
                    .isEqualTo(DatasetChecks.partitionsIn(localVersion));
        });
    }

    static String root(String filesystem, String job) {
        String name = job + "-" + UUID.randomUUID();
        return filesystem.equals("s3") ? SharedStorage.s3Root(name) : SharedStorage.hdfsRoot(name);
    }

    /** The tests' spam job with its datasets under {@code root} (remembered in {@code remote}). */
    static JobUnderTest.Job<SpamJobRun> spamOnRoot(String root, Map<String, org.apache.flink.core.fs.Path> remote) {
        return onRoot(
                SpamTestData.JOB,
                remote,
                (env, source, online) -> SpamTopology.defineWorkflow(
                        env,
                        source,
                        SpamTestData.FEATURE_SET,
                        SpamTestData.hashKey(),
                        new SpamOutputs(root, online, null, null, false)));
    }

    /** Outputs that go to {@code root} on their filesystem: attaches them and remembers where. */
    @FunctionalInterface
    interface RemoteWiring {
        Map<String, org.apache.flink.core.fs.Path> define(
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env,
                io.eventstream.jobs.common.RawEventSource source,
                String onlineUri);
    }

    /**
     * The test job with its datasets written by {@code wiring} (remembered in {@code remote}); the
     * run's local version directories are where {@link #copyBack} puts the copies.
     */
    static <R extends JobRun> JobUnderTest.Job<R> onRoot(
            JobUnderTest.Job<R> job, Map<String, org.apache.flink.core.fs.Path> remote, RemoteWiring wiring) {
        Function<JobRun, R> view = job.view();
        return new JobUnderTest.Job<>(
                job.command(),
                job.configYaml(),
                job.checkpointIntervalMillis(),
                job.onlineFile(),
                job.datasets(),
                (env, source, out, online) -> {
                    remote.putAll(wiring.define(env, source, online));
                    Map<String, Path> copies = new LinkedHashMap<>();
                    remote.forEach((dataset, version) -> copies.put(
                            dataset, out.resolve("copied").resolve(dataset).resolve(version.getName())));
                    return copies;
                },
                view);
    }

    private static void copyBack(Map<String, org.apache.flink.core.fs.Path> remote, JobRun run) throws Exception {
        for (var entry : remote.entrySet()) {
            SharedStorage.copyToLocal(entry.getValue(), run.versions().get(entry.getKey()));
        }
    }
}
