package io.eventstream.jobs.cli;

import io.eventstream.connectors.kafka.KafkaClientProperties;
import io.eventstream.jobs.archive.ArchiveReplay;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eventstream backfill <job>}: runs a feature job over the raw event archive (a time range,
 * bounded) or over the archive and then live from Kafka, switching without a gap or an overlap. A
 * changed window config writes a new dataset version, so this is how a new config gets its history.
 */
@Command(
        name = "backfill",
        mixinStandardHelpOptions = true,
        description = "Runs a feature job over the raw event archive (--archive ROOT [--from T] [--to T]), and with "
                + "--kafka/--topic continues live from Kafka exactly where the archive ends.",
        subcommands = {BackfillCommand.Spam.class, BackfillCommand.Reviewers.class})
public final class BackfillCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** How a bounded backfill executes. */
    public enum Mode {
        BATCH,
        STREAMING
    }

    /** Where the replay reads. */
    public static final class ReplayOptions {
        @Option(
                names = "--archive",
                required = true,
                paramLabel = "ROOT",
                description = "Archive root (archive.root of the archive job): a local directory or a filesystem URI.")
        String archive;

        @Option(
                names = "--from",
                paramLabel = "ISO",
                description = "First event time to read, e.g. 2024-01-01T00:00:00Z (default: the archive's start).")
        Instant from;

        @Option(
                names = "--to",
                paramLabel = "ISO",
                description = "Event time to stop before (bounded backfills only; default: the archive's end).")
        Instant to;

        @ArgGroup(exclusive = false)
        LiveOptions live;

        @Option(
                names = "--mode",
                paramLabel = "MODE",
                description = "streaming (default) or batch execution of a bounded backfill. Batch gives the same rows "
                        + "but hands the dataset writer each user's rows of all hours in turn: thousands of small part "
                        + "files (docs/archive.md). A backfill that continues on Kafka always streams.")
        Mode mode;

        ArchiveReplay replay() {
            return new ArchiveReplay(
                    archive,
                    from,
                    to,
                    live == null
                            ? null
                            : new ArchiveReplay.Live(live.bootstrap, live.topic, live.groupId, live.bounded));
        }

        /** What is wrong with the options, or null. */
        String problem() {
            if (live != null && mode == Mode.BATCH) {
                return "--mode batch cannot continue on Kafka";
            }
            if (live != null && to != null) {
                return "--to ends a backfill; one that continues on Kafka (--kafka) has no end";
            }
            if (from != null && to != null && !from.isBefore(to)) {
                return "--from must be before --to";
            }
            return null;
        }

        /** Streaming execution unless batch was asked for (and the replay is bounded). */
        void configure(StreamExecutionEnvironment env) {
            boolean batch = live == null && mode == Mode.BATCH;
            env.setRuntimeMode(batch ? RuntimeExecutionMode.BATCH : RuntimeExecutionMode.STREAMING);
        }

        String kafkaBootstrap() {
            return live == null ? null : live.bootstrap;
        }
    }

    static final class LiveOptions {
        @Option(
                names = "--kafka",
                required = true,
                paramLabel = "BOOTSTRAP",
                description = "Continue live from this Kafka cluster.")
        String bootstrap;

        @Option(
                names = "--topic",
                required = true,
                paramLabel = "TOPIC",
                description = "The topic the archive job archives.")
        String topic;

        @Option(
                names = "--group-id",
                defaultValue = "eventstream-backfill",
                description = "Consumer group id (default: ${DEFAULT-VALUE}).")
        String groupId;

        @Option(
                names = "--bounded",
                description = "Stop at the offsets that are latest when the job starts (tests, catching up).")
        boolean bounded;
    }

    /** {@code eventstream backfill <feature job>}: from the archive, then Kafka ({@link ReplayOptions}). */
    abstract static class FeatureBackfill extends FeatureJobCommand {
        @Mixin
        ReplayOptions replay;

        @Override
        String sourceProblem() {
            return replay.problem();
        }

        @Override
        FeatureJob.Source source(FeatureJob job) {
            ArchiveReplay archive = replay.replay();
            return new FeatureJob.Source(
                    archive.forJob(job.settings()),
                    archive.describe(),
                    replay.kafkaBootstrap(),
                    KafkaClientProperties.none());
        }

        @Override
        boolean prepareSource(FeatureJob job) {
            return true;
        }

        @Override
        void configure(StreamExecutionEnvironment env) {
            replay.configure(env);
        }

        @Override
        String title(FeatureJob job) {
            return job.title() + " backfill";
        }
    }

    /** {@code eventstream backfill spam}. */
    @Command(
            name = "spam",
            mixinStandardHelpOptions = true,
            description =
                    "The spam features job over the archive (then Kafka): same datasets and online table as `run spam`.")
    static final class Spam extends FeatureBackfill {
        @Override
        FeatureJob load(Path file) {
            return FeatureJob.Spam.load(file);
        }
    }

    /** {@code eventstream backfill reviewers}. */
    @Command(
            name = "reviewers",
            mixinStandardHelpOptions = true,
            description =
                    "The reviewer features job over the archive (then Kafka): same datasets and online tables as `run reviewers`.")
    static final class Reviewers extends FeatureBackfill {
        @Override
        FeatureJob load(Path file) {
            return FeatureJob.Reviewers.load(file);
        }
    }
}
