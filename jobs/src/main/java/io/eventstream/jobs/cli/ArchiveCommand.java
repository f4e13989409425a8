package io.eventstream.jobs.cli;

import io.eventstream.connectors.archive.ArchiveLayout;
import io.eventstream.connectors.archive.ArchiveRetention;
import io.eventstream.features.config.ArchiveJobConfig;
import io.eventstream.features.config.ConfigException;
import io.eventstream.features.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eventstream archive}: maintenance of the raw event archive. */
@Command(
        name = "archive",
        mixinStandardHelpOptions = true,
        description = "Maintains the raw event archive (the archive job is `eventstream run archive`).",
        subcommands = {ArchiveCommand.Prune.class})
public final class ArchiveCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code eventstream archive prune}: enforces {@code archive.retention}. */
    @Command(
            name = "prune",
            mixinStandardHelpOptions = true,
            description = "Deletes the archive's hour partitions that ended longer ago than archive.retention "
                    + "(run it daily, e.g. from cron or a Kubernetes CronJob). Prints each partition it deletes.")
    static final class Prune implements Callable<Integer> {
        @Option(
                names = "--config",
                paramLabel = "FILE",
                description = "Archive config YAML (archive.root, archive.retention).")
        Path config;

        @Option(names = "--root", paramLabel = "DIR", description = "Archive root (overrides archive.root).")
        String root;

        @Option(names = "--retention", paramLabel = "DURATION", description = "Overrides archive.retention, e.g. 90d.")
        String retention;

        @Option(
                names = "--now",
                paramLabel = "ISO",
                description = "The time retention counts back from (default: now), e.g. 2024-03-01T00:00:00Z.")
        Instant now;

        @Option(names = "--dry-run", description = "Print what would be deleted, delete nothing.")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            ArchiveJobConfig jobConfig;
            Duration keep;
            try {
                jobConfig = config == null ? ArchiveJobConfig.defaults() : ArchiveJobConfig.load(config);
                keep = retention == null ? jobConfig.retention() : ArchiveJobConfig.RETENTION.parse(retention);
            } catch (ConfigException e) {
                System.err.println(
                        "eventstream: bad config" + (config == null ? "" : " " + config) + ": " + e.getMessage());
                return 2;
            }
            org.apache.flink.core.fs.Path archive = ArchiveLayout.root(root != null ? root : jobConfig.archiveRoot());
            Instant at = now != null ? now : Instant.now();
            List<ArchiveLayout.Hour> hours =
                    dryRun ? ArchiveRetention.expired(archive, keep, at) : ArchiveRetention.prune(archive, keep, at);
            for (ArchiveLayout.Hour hour : hours) {
                System.out.println((dryRun ? "would delete " : "deleted ") + hour.dir());
            }
            System.err.println("eventstream: " + hours.size() + " hour partitions older than " + Durations.format(keep)
                    + " before " + at + (dryRun ? " (dry run)" : " deleted"));
            return 0;
        }
    }
}
