package io.eventstream.storage;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Both jobs at parallelism 2 write their datasets to a real S3 API server and to a real HDFS,
 * with a failure injected after a checkpoint completed: the rows equal the local-disk run of the
 * command line (no row lost or duplicated), every hour is marked complete, and no unfinished
 * file is left. The datasets are copied back to the local disk and read there with DuckDB.
 */
@ExtendWith({FlinkTestCluster.class, SharedStorage.class})
class JobsOnSharedStorageTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"s3", "hdfs"})
    void spamJobAfterAFailureWritesTheRowsOfTheLocalRun(String filesystem, @TempDir Path out) throws Exception {
        String root = root(filesystem, "spam");
        Map<String, org.apache.flink.core.fs.Path> remote = new LinkedHashMap<>();
        JobUnderTest.Job<SpamJobRun> job = onRoot(SpamTestData.JOB, remote, (raw, online) -> new SpamOutputs(
                root, online, null, null, false).attachVersions(SpamTopology.define(raw, SpamTestData.CONFIG,
                SpamTestData.hashKey()), SpamTestData.CONFIG));

        FailOnce.reset(40_000);
        SpamJobRun failed = JobUnderTest.files(job, SpamTestData.eventsFile()).parallelism(2).restarts(3)
                .beforeTopology(FailOnce::insert).run(out);
        FailOnce.assertFailedAndRestarted(40_000);
        assertThat(remote.values()).allMatch(version -> version.toString().startsWith(root));
        copyBack(remote, failed);

        SpamJobRun local = SpamTestData.cliRun();
        RowSets.assertSameRows("spam_features on " + filesystem, SpamTestData.FEATURE_SET.featureSchema(), "event_id",
                local.features(), failed.features());
        RowSets.assertSameRows("spam_labels on " + filesystem, SpamLabels.SCHEMA, "label_event_id", local.labels(),
                failed.labels());
        assertThat(failed.lateEvents()).isEmpty();
        assertThat(failed.deadLetters()).isEmpty();
        failed.versions().values().forEach(DatasetChecks::assertCompleteAfterBoundedRun);
    }

    /**
     * HDFS only: the reviewer test data spans a year, thousands of hour partitions of small files,
     * which the in-JVM S3 server of the tests stores too slowly for the suite's time budget; the
     * spam job covers S3, and the writer does not depend on the job.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hdfs"})
    void reviewerJobAfterAFailureWritesTheRowsOfTheLocalRun(String filesystem, @TempDir Path out) throws Exception {
        String root = root(filesystem, "reviewers");
        Map<String, org.apache.flink.core.fs.Path> remote = new LinkedHashMap<>();
        JobUnderTest.Job<ReviewerJobRun> job = onRoot(ReviewerTestData.JOB, remote, (raw, online) ->
                new ReviewerOutputs(root, online, false).attachVersions(ReviewerTopology.define(raw,
                        ReviewerTestData.CONFIG), ReviewerTestData.CONFIG));

        FailOnce.reset(15_000);
        ReviewerJobRun failed = JobUnderTest.files(job, ReviewerTestData.eventsFile()).parallelism(2).restarts(3)
                .beforeTopology(FailOnce::insert).run(out);
        FailOnce.assertFailedAndRestarted(15_000);
        copyBack(remote, failed);

        failed.assertSameOutputsAs(ReviewerTestData.cliRun(), "on " + filesystem + " after a failure");
        failed.versions().values().forEach(DatasetChecks::assertCompleteAfterBoundedRun);
    }

    static String root(String filesystem, String job) {
        String name = job + "-" + UUID.randomUUID();
        return filesystem.equals("s3") ? SharedStorage.s3Root(name) : SharedStorage.hdfsRoot(name);
    }

    /** Outputs that go to {@code root} on their filesystem: attaches them and remembers where. */
    @FunctionalInterface
    interface RemoteWiring {
        Map<String, org.apache.flink.core.fs.Path> attach(
                org.apache.flink.streaming.api.datastream.DataStream<io.eventstream.connectors.source.RawEvent> raw,
                String onlineUri);
    }

    /**
     * The test job with its datasets written by {@code wiring} (remembered in {@code remote}); the
     * run's local version directories are where {@link #copyBack} puts the copies.
     */
    static <R extends JobRun> JobUnderTest.Job<R> onRoot(JobUnderTest.Job<R> job,
            Map<String, org.apache.flink.core.fs.Path> remote, RemoteWiring wiring) {
        Function<JobRun, R> view = job.view();
        return new JobUnderTest.Job<>(job.command(), job.configYaml(), job.checkpointIntervalMillis(),
                job.watermarks(), job.onlineFile(), job.datasets(), (raw, out, online) -> {
                    remote.putAll(wiring.attach(raw, online));
                    Map<String, Path> copies = new LinkedHashMap<>();
                    remote.forEach((dataset, version) ->
                            copies.put(dataset, out.resolve("copied").resolve(dataset).resolve(version.getName())));
                    return copies;
                }, view);
    }

    private static void copyBack(Map<String, org.apache.flink.core.fs.Path> remote, JobRun run) throws Exception {
        for (var entry : remote.entrySet()) {
            SharedStorage.copyToLocal(entry.getValue(), run.versions().get(entry.getKey()));
        }
    }
}
