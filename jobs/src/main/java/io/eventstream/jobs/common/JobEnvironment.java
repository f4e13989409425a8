package io.eventstream.jobs.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The jobs' execution environment: parallelism, checkpointing (interval, storage), restart
 * strategy, object reuse and, for a run in this process, the filesystems and the metrics reporter.
 * The run commands, the backfills and the benchmarks all start their jobs in one of these; the
 * command line only supplies the values.
 */
public final class JobEnvironment {
    /** Flink's Prometheus reporter (flink-metrics-prometheus, on the CLI's classpath). */
    public static final String PROMETHEUS_REPORTER_FACTORY =
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

    private JobEnvironment() {}

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
    public static StreamExecutionEnvironment create(Integer parallelism, long checkpointIntervalMillis)
            throws IOException {
        return create(parallelism, checkpointIntervalMillis, null);
    }

    /**
     * {@link #create(Integer, long)} with checkpoints written as files under {@code checkpointDir}.
     * Null: the checkpoint storage the environment is configured with (the cluster's under
     * {@code flink run}); when there is none and the job runs in this process, a fresh temporary
     * directory. Never Flink's default, the JobManager's memory: it refuses a
     * subtask's state above 5 MiB, which one busy project's reviewer state passes in a few months.
     */
    public static StreamExecutionEnvironment create(
            Integer parallelism, long checkpointIntervalMillis, Path checkpointDir) throws IOException {
        return create(parallelism, checkpointIntervalMillis, checkpointDir, null);
    }

    /**
     * {@link #create(Integer, long, Path)}, and when {@code metricsPort} is given, Flink's
     * Prometheus reporter on that port: an embedded MiniCluster starts it from this configuration
     * (a cluster ignores reporters in a job's configuration: it has its own).
     */
    public static StreamExecutionEnvironment create(
            Integer parallelism, long checkpointIntervalMillis, Path checkpointDir, Integer metricsPort)
            throws IOException {
        return create(parallelism, checkpointIntervalMillis, checkpointDir, metricsPort, new Configuration());
    }

    /**
     * {@link #create(Integer, long, Path, Integer)} with {@code settings} applied over the defaults:
     * what a test changes (no restarts, generic types off) on top of the set-up every run gets.
     */
    public static StreamExecutionEnvironment create(
            Integer parallelism,
            long checkpointIntervalMillis,
            Path checkpointDir,
            Integer metricsPort,
            Configuration settings)
            throws IOException {
        String checkpoints = checkpointDir == null
                ? null
                : checkpointDir.toAbsolutePath().toUri().toString();
        return configure(parallelism, checkpointIntervalMillis, checkpoints, metricsPort, settings);
    }

    /**
     * {@link #create(Integer, long)} with checkpoints written as files under {@code checkpointUri},
     * a directory of any Flink filesystem: {@code s3://bucket/checkpoints} next to datasets on S3, where a
     * cluster would keep them, rather than on the local disk of whichever machine runs the job.
     */
    public static StreamExecutionEnvironment checkpointingTo(
            Integer parallelism, long checkpointIntervalMillis, String checkpointUri) throws IOException {
        return configure(parallelism, checkpointIntervalMillis, checkpointUri, null, new Configuration());
    }

    /**
     * Keeps the job's keyed state in {@code backend}: {@code hashmap} (objects on the JVM heap; every
     * checkpoint writes all of it) or {@code rocksdb} (serialized, in an embedded RocksDB on the local
     * disk, with incremental checkpoints: state larger than the heap, and checkpoints that upload only
     * what changed since the last one). Null leaves the environment's choice (the cluster's under
     * {@code flink run}, else Flink's default, hashmap). The reviewer job keeps a project's state per
     * entry ({@code MapState}), so on RocksDB an event reads and writes only the entries it touches.
     */
    public static void useStateBackend(StreamExecutionEnvironment env, StateBackend backend) {
        if (backend == null) {
            return;
        }
        Configuration state = new Configuration();
        state.set(StateBackendOptions.STATE_BACKEND, backend.name());
        if (backend == StateBackend.rocksdb) {
            state.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        }
        env.configure(state);
    }

    /**
     * Where keyed state lives. The constants are Flink's names for the backends
     * ({@code state.backend.type}), lower case so that the command-line value is the name and
     * picocli refuses any other with the list of these.
     */
    public enum StateBackend {
        /** Objects on the heap, snapshotted whole. */
        hashmap,
        /** RocksDB on local disk, incremental checkpoints: for state beyond the heap. */
        rocksdb
    }

    private static StreamExecutionEnvironment configure(
            Integer parallelism,
            long checkpointIntervalMillis,
            String checkpoints,
            Integer metricsPort,
            Configuration settings)
            throws IOException {
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
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                Duration.ofMinutes(10));
        conf.addAll(settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        ReadableConfig effective = env.getConfiguration();
        boolean storageConfigured = effective
                        .getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
                        .isPresent()
                || effective
                        .getOptional(CheckpointingOptions.CHECKPOINT_STORAGE)
                        .isPresent();
        // Only a job running in this process gets the temporary default: on a cluster a local
        // directory of the submitting machine would be the wrong place. "minicluster" is the
        // target of Flink's test environment, also a cluster in this process.
        String target = effective.get(DeploymentOptions.TARGET);
        boolean inThisProcess = target == null || target.equals("local") || target.equals("minicluster");
        if (inThisProcess) {
            EmbeddedFileSystems.initialize(System.getenv());
        }
        if (checkpoints == null && !storageConfigured && inThisProcess) {
            checkpoints = Files.createTempDirectory("eventstream-checkpoints-")
                    .toUri()
                    .toString();
        }
        if (checkpoints != null) {
            Configuration files = new Configuration();
            files.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            files.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints);
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
