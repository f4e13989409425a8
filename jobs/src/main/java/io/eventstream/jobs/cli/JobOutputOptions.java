package io.eventstream.jobs.cli;

import io.eventstream.connectors.online.OnlineStores;
import java.io.PrintStream;
import io.eventstream.features.config.JobSettings;
import io.eventstream.features.config.OnlineBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Option;

/** Output and execution options shared by the jobs' run commands. */
public final class JobOutputOptions {
    /** Flink's Prometheus reporter (flink-metrics-prometheus, on the CLI's classpath). */
    static final String PROMETHEUS_REPORTER_FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

    @Option(names = "--out", paramLabel = "DIR",
            description = "Dataset root (overrides dataset.root): a local directory or a URI (s3://bucket/path, hdfs://namenode/path); "
                    + "the SQLite online table goes to DIR/online/ (local DIR) unless --online is given.")
    String out;

    @Option(names = "--replace",
            description = "Replace dataset versions that already hold the rows of an earlier run (deleting them) instead of refusing to run; see docs/datasets.md.")
    boolean replace;

    @Option(names = "--online", paramLabel = "STORE",
            description = "Online store: sqlite:PATH or redis://HOST:PORT (rediss:// for TLS; password from EVENTSTREAM_REDIS_PASSWORD). Overrides online.*.")
    String online;

    @Option(names = "--parallelism", paramLabel = "N", description = "Job parallelism (default: the environment's).")
    Integer parallelism;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Write checkpoints as files under DIR (default: the cluster's checkpoint storage under "
                    + "`flink run`, a temporary directory for a local run).")
    Path checkpointDir;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC",
            description = "With --kafka: also write dead letters to this topic (they always go to the dead_letters dataset).")
    String deadLetterTopic;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Embedded run only: serve the job's metrics for Prometheus on http://HOST:PORT/metrics "
                    + "(Flink's Prometheus reporter; every interface). Under `flink run` the cluster's reporters apply.")
    Integer metricsPort;

    /**
     * A password in {@code --online} becomes a job argument (kept by the cluster, shown in its web UI and
     * CLI log): say so, without the password, and point to the environment variable.
     */
    void warnAboutPasswordInOnlineUri(PrintStream err) {
        if (online != null && !OnlineStores.redact(online).equals(online)) {
            err.println("eventstream: warning: --online carries credentials, which end up in the Flink job arguments; "
                    + "give the password in EVENTSTREAM_REDIS_PASSWORD or EVENTSTREAM_REDIS_PASSWORD_FILE instead");
        }
    }

    /**
     * Where the datasets go: {@code --out}, else the config's {@code dataset.root}, which may be a
     * URI of any Flink filesystem ({@code s3://bucket/datasets}, {@code hdfs://namenode/datasets}).
     */
    String datasetRoot(JobSettings config) {
        return out != null ? out : config.datasetRoot();
    }

    /**
     * The online store URI: {@code --online}; else the config's Redis URL (backend redis) or SQLite
     * file, which moves to {@code <--out>/online/<file name>} when {@code --out} is given.
     */
    String onlineStore(JobSettings config) {
        if (online != null) {
            return online;
        }
        if (config.onlineBackend() == OnlineBackend.REDIS) {
            return config.onlineRedisUrl();
        }
        Path sqlite = Path.of(config.onlineSqlitePath());
        boolean localOut = out != null && !out.contains("://");
        return "sqlite:" + (localOut ? Path.of(out).resolve("online").resolve(sqlite.getFileName()) : sqlite);
    }

    /**
     * The execution environment: the cluster's under {@code flink run}, an embedded MiniCluster
     * otherwise. Checkpointing commits the datasets. Restarts back off exponentially (1 s doubling
     * to 30 s, 8 attempts, about two minutes in all): long enough for a replacement TaskManager or a
     * restarted broker to come back, short enough that a job broken for good fails instead of
     * retrying forever. Ten minutes without failures reset the count and the backoff.
     *
     * <p>Online store outages mostly stay away from this budget: the online sink waits out an outage
     * shorter than {@code online.max_outage} without failing. A longer one costs one attempt per
     * {@code max_outage} (each restarted attempt waits for the store again), so a store gone for good
     * fails the job after about 8 × {@code max_outage}. The short reset interval (it was an hour) is
     * so that such an outage, once over, does not leave the budget spent: after ten healthy minutes a
     * TaskManager loss or a broker restart again has all eight attempts.
     *
     * <p>Object reuse is on: chained operators then hand records on instead of deep-copying each one
     * (a raw Kafka value, every input POJO, every feature row). That is safe for the jobs' operators
     * because none of them changes a record it received or keeps one after passing it on: the
     * decode and feature functions emit new objects, the dataset and online sinks copy the fields out
     * of each row, and keyed state only buffers records that come over the network, which Flink
     * always deserializes into new objects.
     */
    static StreamExecutionEnvironment environment(Integer parallelism, long checkpointIntervalMillis)
            throws IOException {
        return environment(parallelism, checkpointIntervalMillis, null);
    }

    /**
     * {@link #environment(Integer, long)} with checkpoints written as files under {@code checkpointDir}.
     * Null: the checkpoint storage the environment is configured with (the cluster's under
     * {@code flink run}); when there is none and the job runs in this process, a fresh temporary
     * directory. Never Flink's default, the JobManager's memory: it refuses a
     * subtask's state above 5 MiB, which one busy project's reviewer state passes in a few months.
     */
    static StreamExecutionEnvironment environment(Integer parallelism, long checkpointIntervalMillis, Path checkpointDir)
            throws IOException {
        return environment(parallelism, checkpointIntervalMillis, checkpointDir, null);
    }

    /**
     * {@link #environment(Integer, long, Path)}, and when {@code metricsPort} is given, Flink's
     * Prometheus reporter on that port: an embedded MiniCluster starts it from this configuration
     * (a cluster ignores reporters in a job's configuration: it has its own).
     */
    static StreamExecutionEnvironment environment(Integer parallelism, long checkpointIntervalMillis, Path checkpointDir,
            Integer metricsPort) throws IOException {
        Configuration conf = new Configuration();
        if (metricsPort != null) {
            conf.setString("metrics.reporter.prom.factory.class", PROMETHEUS_REPORTER_FACTORY);
            conf.setString("metrics.reporter.prom.port", metricsPort.toString());
        }
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofSeconds(30));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, 8);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD, Duration.ofMinutes(10));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        ReadableConfig effective = env.getConfiguration();
        boolean storageConfigured = effective.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).isPresent()
                || effective.getOptional(CheckpointingOptions.CHECKPOINT_STORAGE).isPresent();
        // Only a job running in this process gets the temporary default: on a cluster a local
        // directory of the submitting machine would be the wrong place. "minicluster" is the
        // target of Flink's test environment, also a cluster in this process.
        String target = effective.get(DeploymentOptions.TARGET);
        boolean inThisProcess = target == null || target.equals("local") || target.equals("minicluster");
        if (inThisProcess) {
            EmbeddedFileSystems.initialize(System.getenv());
        }
        if (checkpointDir == null && !storageConfigured && inThisProcess) {
            checkpointDir = Files.createTempDirectory("eventstream-checkpoints-");
        }
        if (checkpointDir != null) {
            Configuration files = new Configuration();
            files.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            files.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toAbsolutePath().toUri().toString());
            env.configure(files);
        }
        if (parallelism != null) {
            env.setParallelism(parallelism);
        }
        env.getConfig().enableObjectReuse();
        env.enableCheckpointing(checkpointIntervalMillis);
        return env;
    }
}
