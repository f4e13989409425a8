package io.eventstream.jobs.cli;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Option;

/** Output and execution options shared by the jobs' run commands. */
public final class JobOutputOptions {

    @Option(names = "--out", paramLabel = "DIR",
            description = "Dataset root (overrides dataset.root); the SQLite online table goes to DIR/online/ unless --online is given.")
    Path out;

    @Option(names = "--online", paramLabel = "STORE",
            description = "Online store: sqlite:PATH or redis://HOST:PORT (rediss:// for TLS; password from EVENTSTREAM_REDIS_PASSWORD). Overrides online.*.")
    String online;

    @Option(names = "--parallelism", paramLabel = "N", description = "Job parallelism (default: the environment's).")
    Integer parallelism;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC",
            description = "With --kafka: also write dead letters to this topic (they always go to the dead_letters dataset).")
    String deadLetterTopic;

    /**
     * The execution environment: the cluster's under {@code flink run}, an embedded MiniCluster
     * otherwise. Checkpointing commits the datasets; a bounded restart strategy keeps a broken job
     * from retrying forever.
     *
     * <p>Object reuse is on: chained operators then hand records on instead of deep-copying each one
     * (a raw Kafka value, every input POJO, every feature row). That is safe for the jobs' operators
     * because none of them changes a record it received or keeps one after passing it on: the
     * decode and feature functions emit new objects, the dataset and online sinks copy the fields out
     * of each row, and keyed state only buffers records that come over the network, which Flink
     * always deserializes into new objects.
     */
    static StreamExecutionEnvironment environment(Integer parallelism, long checkpointIntervalMillis) {
        return environment(parallelism, checkpointIntervalMillis, null);
    }

    /**
     * {@link #environment(Integer, long)} with checkpoints written to files under {@code checkpointDir}
     * (null: Flink's default, the JobManager's memory, which refuses a subtask's state above 5 MiB, as one
     * hot project's reviewer state reaches in a few months).
     */
    static StreamExecutionEnvironment environment(Integer parallelism, long checkpointIntervalMillis, Path checkpointDir) {
        Configuration conf = new Configuration();
        if (checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toAbsolutePath().toUri().toString());
        }
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (parallelism != null) {
            env.setParallelism(parallelism);
        }
        env.getConfig().enableObjectReuse();
        env.enableCheckpointing(checkpointIntervalMillis);
        return env;
    }
}
