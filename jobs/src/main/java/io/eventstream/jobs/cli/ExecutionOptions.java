package io.eventstream.jobs.cli;

import io.eventstream.jobs.common.JobEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Option;

/**
 * How every job's command executes its job (`run`, `backfill`, `run archive`): parallelism, the
 * keyed state backend, checkpoint files and, for an embedded run, the metrics port; the environment
 * they configure is {@link JobEnvironment}'s.
 */
public final class ExecutionOptions {
    @Option(names = "--parallelism", paramLabel = "N", description = "Job parallelism (default: the environment's).")
    Integer parallelism;

    @Option(
            names = "--state-backend",
            paramLabel = "TYPE",
            description = "Keyed state backend: hashmap (on the heap) or rocksdb (on local disk, incremental "
                    + "checkpoints; for state beyond the heap, e.g. a hot project's reviewer state). Default: the "
                    + "cluster's under `flink run`, hashmap for a local run.")
    JobEnvironment.StateBackend stateBackend;

    @Option(
            names = "--checkpoint-dir",
            paramLabel = "DIR",
            description = "Write checkpoints as files under DIR (default: the cluster's checkpoint storage under "
                    + "`flink run`, a temporary directory for a local run).")
    Path checkpointDir;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description =
                    "Embedded run only: serve the job's metrics for Prometheus on http://HOST:PORT/metrics "
                            + "(Flink's Prometheus reporter; every interface). Under `flink run` the cluster's reporters apply.")
    Integer metricsPort;

    /** The job's environment with these options and the config's checkpoint interval. */
    StreamExecutionEnvironment environment(long checkpointIntervalMillis) throws IOException {
        StreamExecutionEnvironment env =
                JobEnvironment.create(parallelism, checkpointIntervalMillis, checkpointDir, metricsPort);
        JobEnvironment.useStateBackend(env, stateBackend);
        return env;
    }
}
