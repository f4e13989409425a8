package io.eventstream.jobs.cli;

import io.eventstream.features.config.ArchiveJobConfig;
import io.eventstream.features.config.ConfigException;
import io.eventstream.jobs.archive.ArchiveOutputs;
import io.eventstream.jobs.archive.ArchiveTopology;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code eventstream run archive}: the raw event archive job, locally or under {@code flink run}. */
@Command(
        name = "archive",
        mixinStandardHelpOptions = true,
        description = "Runs the raw event archive job: every valid CloudEvent to the hour-partitioned `events` "
                + "Parquet dataset under the archive root (exactly once, with its Kafka position), invalid records "
                + "to the archive's dead_letters. The archive holds personal data: see docs/archive.md.")
public final class ArchiveRunCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Archive config YAML (see deploy/config/archive.yaml). Default: built-in defaults.")
    Path config;

    @Mixin
    SourceOptions source;

    @Option(names = "--root", paramLabel = "DIR", description = "Archive root (overrides archive.root).")
    Path root;

    @Option(names = "--parallelism", paramLabel = "N", description = "Job parallelism (default: the environment's).")
    Integer parallelism;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Write checkpoints as files under DIR (default: the cluster's checkpoint storage under "
                    + "`flink run`, a temporary directory for a local run).")
    Path checkpointDir;

    @Override
    public Integer call() throws Exception {
        ArchiveJobConfig jobConfig;
        try {
            jobConfig = config == null ? ArchiveJobConfig.defaults() : ArchiveJobConfig.load(config);
        } catch (ConfigException e) {
            System.err.println("eventstream: bad config" + (config == null ? "" : " " + config) + ": " + e.getMessage());
            return 2;
        }
        Path archiveRoot = root != null ? root : Path.of(jobConfig.archiveRoot());
        run(jobConfig, source, archiveRoot, parallelism, checkpointDir, new PrintWriter(System.out, true));
        return 0;
    }

    static Map<String, Path> run(ArchiveJobConfig jobConfig, SourceOptions source, Path archiveRoot, Integer parallelism,
            Path checkpointDir, PrintWriter out) throws Exception {
        StreamExecutionEnvironment env = JobOutputOptions.environment(parallelism, jobConfig.checkpointIntervalMillis(),
                checkpointDir);
        Map<String, Path> datasets = new ArchiveOutputs(archiveRoot).attach(
                ArchiveTopology.define(source.create(env, ArchiveTopology.watermarks(jobConfig)), jobConfig), jobConfig);
        JobSummary.execute(env, "raw event archive", source.describe(), JobSummary.localVersions(datasets), "(none)", out);
        return datasets;
    }
}
