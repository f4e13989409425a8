package io.eventstream.jobs.cli;

import io.eventstream.features.config.ArchiveJobConfig;
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

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Archive config YAML (see deploy/config/archive.yaml). Default: built-in defaults.")
    Path config;

    @Mixin
    SourceOptions source;

    @Option(names = "--root", paramLabel = "DIR", description = "Archive root (overrides archive.root).")
    Path root;

    @Mixin
    ExecutionOptions execution;

    @Override
    public Integer call() throws Exception {
        ArchiveJobConfig jobConfig = ConfigFile.load(
                config,
                file -> file == null ? ArchiveJobConfig.defaults() : ArchiveJobConfig.load(file),
                System.err::println);
        if (jobConfig == null) {
            return 2;
        }
        Path archiveRoot = root != null ? root : Path.of(jobConfig.archiveRoot());
        StreamExecutionEnvironment env = execution.environment(jobConfig.checkpointIntervalMillis());
        Map<String, Path> datasets =
                ArchiveTopology.defineWorkflow(env, source, jobConfig, new ArchiveOutputs(archiveRoot));
        JobSummary.execute(
                env,
                "raw event archive",
                source.describe(),
                JobSummary.localVersions(datasets),
                "(none)",
                new PrintWriter(System.out, true));
        return 0;
    }
}
