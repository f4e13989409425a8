package io.eventstream.jobs.spam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eventstream.connectors.online.OnlineTableSpec;
import io.eventstream.connectors.online.RedisServer;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.cli.EventstreamCli;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.LogCapture;
import io.eventstream.jobs.testing.OutageAt;
import io.eventstream.jobs.testing.RowSets;
import io.eventstream.jobs.testing.SpamJobRun;
import io.eventstream.jobs.testing.SpamTestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outages of the online store in the middle of the spam job (MiniCluster, the production topology
 * and sinks, a real {@code redis-server} / SQLite file): the job ends with exactly the datasets and
 * online table of the clean command-line run, nothing lost or duplicated, whether the outage was
 * shorter than {@code online.max_outage} (the job does not fail: restarts are off) or longer (the job
 * fails, restarts from its checkpoint and finishes once the store is back). Cancelling while the
 * sinks wait ends the job in seconds. A store that is not there at all makes the command-line run
 * exit 1 with one line.
 */
@ExtendWith(FlinkTestCluster.class)
class SpamJobOnlineOutageTest {

    /** The fault strikes at this record (of about 107,000), when the online table already has rows. */
    private static final long FAULT_AT = 40_000;

    private final List<Thread> background = new ArrayList<>();
    private final AtomicReference<Throwable> backgroundFailure = new AtomicReference<>();

    @AfterEach
    void joinBackground() throws InterruptedException {
        for (Thread thread : background) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(backgroundFailure.get()).as("fault thread failure").isNull();
    }

    @Test
    void redisFrozenThenRestartedWithinTheLimitOnlyDelaysTheOnlineRows(@TempDir Path out) throws Exception {
        try (RedisServer redis = RedisServer.startPersistent();
                LogCapture logs = LogCapture.start("io.eventstream.connectors.online")) {
            OutageAt.arm(FAULT_AT, () -> {
                // Frozen for 2 s (a stall shorter than the socket timeout: only a delay), then down for 4 s.
                redis.freeze();
                later(() -> {
                    Thread.sleep(2_000);
                    redis.thaw();
                    Thread.sleep(300);
                    redis.stop();
                    Thread.sleep(4_000);
                    redis.restart();
                });
            });
            SpamJobRun run = JobUnderTest.files(SpamTestData.JOB, SpamTestData.eventsFile())
                    .parallelism(2)
                    .online(redis.uri())
                    .beforeTopology(OutageAt::insert)
                    .run(out);

            assertThat(OutageAt.triggered()).isTrue();
            assertThat(OutageAt.highestAttempt())
                    .as("restarts are off: the job never failed")
                    .isZero();
            assertSameOutputsAsTheCleanRun(run);
            List<String> started = logs.containing("write failed");
            List<String> ended = logs.containing("writes succeed again");
            assertThat(started)
                    .as("one warning per outage, table and subtask")
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(line)
                            .startsWith("WARN ")
                            .containsAnyOf("spam_user_features", "spam_user_state")
                            .contains(redis.uri())
                            .contains("retrying for up to 5m (online.max_outage)"));
            assertThat(ended).as("every outage that started ended").hasSameSizeAs(started);
        }
    }

    @Test
    void redisDownLongerThanTheLimitFailsTheJobWhichResumesFromItsCheckpoint(@TempDir Path out) throws Exception {
        JobUnderTest.Job<SpamJobRun> job = withMaxOutage("2s");
        try (RedisServer redis = RedisServer.startPersistent()) {
            OutageAt.arm(FAULT_AT, () -> {
                redis.stop();
                later(() -> {
                    Thread.sleep(7_000);
                    redis.restart();
                });
            });
            SpamJobRun run = JobUnderTest.files(job, SpamTestData.eventsFile())
                    .parallelism(2)
                    .restarts(20)
                    .online(redis.uri())
                    .beforeTopology(OutageAt::insert)
                    .run(out);

            assertThat(OutageAt.highestAttempt())
                    .as("the job failed past the limit and restarted")
                    .isPositive();
            assertSameOutputsAsTheCleanRun(run);
        }
    }

    /**
     * Cancelling while the sinks wait for a store that is gone: the wait is interrupted and the job
     * is CANCELED in seconds (not after online.max_outage, not by the TaskManager's cancellation
     * watchdog, which would kill the TaskManager), and the shared MiniCluster runs the next jobs.
     */
    @Test
    void cancellingWhileTheSinkWaitsForTheStoreEndsTheJobPromptly(@TempDir Path out) throws Exception {
        try (RedisServer redis = RedisServer.start();
                LogCapture logs = LogCapture.start("io.eventstream.connectors.online")) {
            OutageAt.arm(FAULT_AT, redis::stop);
            JobUnderTest.Started<SpamJobRun> job = JobUnderTest.files(SpamTestData.JOB, SpamTestData.eventsFile())
                    .parallelism(2)
                    .online(redis.uri())
                    .beforeTopology(OutageAt::insert)
                    .start(out);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (logs.containing("write failed").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(logs.containing("write failed"))
                    .as("the sinks wait for the store")
                    .isNotEmpty();
            long cancelled = System.nanoTime();
            job.client().cancel().get(1, TimeUnit.MINUTES);
            while (!job.client().getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()
                    && System.nanoTime() - cancelled < Duration.ofMinutes(1).toNanos()) {
                Thread.sleep(100);
            }
            assertThat(job.client().getJobStatus().get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.CANCELED);
            assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void aReadOnlySqliteFileMidRunIsRetriedUntilItIsWritableAgain(@TempDir Path out) throws Exception {
        assumeTrue(
                chattr("+i", Files.createFile(out.resolve("probe"))) && chattr("-i", out.resolve("probe")),
                "needs chattr (root): making a file read-only with chmod does not stop root or an open file");
        Path database = out.resolve(SpamTestData.JOB.onlineFile());
        Path wal = Path.of(database + "-wal");
        OutageAt.arm(FAULT_AT, () -> {
            // Immutable main file and write-ahead log: every write fails with a disk I/O error.
            if (!chattr("+i", database) || !chattr("+i", wal)) {
                throw new IllegalStateException("chattr +i failed");
            }
            later(() -> {
                Thread.sleep(4_000);
                if (!chattr("-i", database) || !chattr("-i", wal)) {
                    throw new IllegalStateException("chattr -i failed");
                }
            });
        });
        try (LogCapture logs = LogCapture.start("io.eventstream.connectors.online")) {
            SpamJobRun run = JobUnderTest.files(SpamTestData.JOB, SpamTestData.eventsFile())
                    .parallelism(2)
                    .beforeTopology(OutageAt::insert)
                    .run(out);
            assertThat(OutageAt.highestAttempt()).isZero();
            assertSameOutputsAsTheCleanRun(run);
            assertThat(logs.containing("write failed"))
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(line).contains("sqlite:" + database));
        } finally {
            chattr("-i", database);
            chattr("-i", wal);
        }
    }

    @Test
    @Timeout(120)
    void aCommandLineRunWhoseRedisIsNotThereExitsWithOneLine(@TempDir Path out) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path config = Files.writeString(out.resolve("spam.yaml"), SpamTestData.CONFIG_YAML);
        StringWriter err = new StringWriter();
        int exit = EventstreamCli.commandLine()
                .setErr(new PrintWriter(err, true))
                .execute(
                        "run",
                        "spam",
                        "--config",
                        config.toString(),
                        "--input",
                        SpamTestData.eventsFile().toString(),
                        "--out",
                        out.toString(),
                        "--online",
                        "redis://127.0.0.1:" + port,
                        "--parallelism",
                        "2");
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString().lines().toList())
                .singleElement()
                .asString()
                .startsWith("eventstream spam: failed: cannot connect to Redis at redis://127.0.0.1:" + port
                        + "/0 for online table spam_user_features: ");
    }

    private static void assertSameOutputsAsTheCleanRun(SpamJobRun run) throws IOException {
        SpamJobRun clean = SpamTestData.cliRun();
        RowSets.assertSameRows(
                "spam_features",
                SpamTestData.FEATURE_SET.featureSchema(),
                "event_id",
                clean.features(),
                run.features());
        RowSets.assertSameRows("spam_labels", SpamLabels.SCHEMA, "label_event_id", clean.labels(), run.labels());
        assertThat(run.lateEvents()).isEmpty();
        assertThat(run.deadLetters()).isEmpty();
        OnlineTableSpec spec = SpamOutputs.onlineTable(SpamTestData.FEATURE_SET);
        assertThat(run.scanOnline(spec))
                .as("online table")
                .hasSameSizeAs(SpamTestData.expected().online())
                .isEqualTo(clean.scanOnline(spec));
    }

    /** The tests' spam job with another online.max_outage (the same feature set, so the same rows). */
    private static JobUnderTest.Job<SpamJobRun> withMaxOutage(String maxOutage) {
        String yaml = SpamTestData.CONFIG_YAML + "online:\n  max_outage: " + maxOutage + "\n";
        assertThat(new SpamFeatureSet(SpamJobConfig.parse(yaml)).fingerprint())
                .isEqualTo(SpamTestData.FEATURE_SET.fingerprint());
        return SpamTestData.job(yaml);
    }

    @FunctionalInterface
    private interface Steps {
        void run() throws Exception;
    }

    /** Runs the rest of a fault in the background, so the stream goes on meanwhile. */
    private void later(Steps steps) {
        Thread thread = new Thread(
                () -> {
                    try {
                        steps.run();
                    } catch (Throwable t) {
                        backgroundFailure.set(t);
                    }
                },
                "fault");
        thread.setDaemon(true);
        background.add(thread);
        thread.start();
    }

    private static boolean chattr(String flag, Path file) {
        try {
            Process process = new ProcessBuilder("chattr", flag, file.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
