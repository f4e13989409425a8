package io.eventstream.jobs.cli;

import io.eventstream.features.config.ConfigException;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.jobs.bench.FreshnessBenchReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code eventstream bench freshness}: Kafka append → online row readable, at a steady rate, both jobs running. */
@Command(
        name = "freshness",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Measures freshness: the delay from an event's append to Kafka (broker LogAppendTime) to its online row",
            "being readable. Starts an in-process Kafka broker (or uses --kafka) and both jobs (spam, reviewers) on embedded",
            "MiniClusters reading it unbounded, produces events at a steady rate (each an issue opened by a new user,",
            "event time = now), polls the spam job's SQLite online table for the rows, and prints p50/p99/max over",
            "the measured phase. The delay is at least the watermark bound (time.max_out_of_orderness) plus the",
            "allowed lateness (time.allowed_lateness): events are applied once the watermark has passed their time plus",
            "the allowed lateness. Goal: p99 <= bound + allowed lateness + 1 s."
        },
        footer = {
            "",
            "Example:",
            "  eventstream bench freshness --rate 5000 --seconds 60 --report target/bench-freshness.json"
        })
final class BenchFreshnessCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--rate",
            defaultValue = "5000",
            paramLabel = "EVENTS_PER_S",
            description = "Steady producer rate (default: ${DEFAULT-VALUE} events/s).")
    double rate;

    @Option(
            names = "--seconds",
            defaultValue = "60",
            paramLabel = "S",
            description = "Length of the measured phase (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
            names = "--warmup",
            defaultValue = "30",
            paramLabel = "S",
            description =
                    "Producing before the measured phase, not measured: JIT, first checkpoints; 10 s left them in the "
                            + "measured phase on a 2-core machine (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(
            names = "--drain-timeout",
            paramLabel = "S",
            description = "After the measured phase, keep producing at most this long until every measured row is seen "
                    + "(default: the watermark bound + the allowed lateness + 60 s).")
    Double drainTimeout;

    @Option(
            names = "--parallelism",
            defaultValue = "1",
            paramLabel = "P",
            description = "Parallelism of each job (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--partitions",
            defaultValue = "2",
            paramLabel = "K",
            description = "Kafka topic partitions (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--config", paramLabel = "FILE", description = "Spam job config YAML (default: built-in defaults).")
    Path config;

    @Option(
            names = "--reviewers-config",
            paramLabel = "FILE",
            description = "Reviewer job config YAML (default: built-in defaults).")
    Path reviewersConfig;

    @Mixin
    BenchRunDirectory runDirectory;

    @Mixin
    BenchKafka kafka;

    @Override
    public Integer call() throws Exception {
        if (rate <= 0 || seconds <= 0 || warmup < 0 || parallelism < 1 || partitions < 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--rate and --seconds must be positive, --warmup at least 0, --parallelism and --partitions at least 1");
        }
        if (!kafka.resolve(spec)) {
            return 2;
        }
        FeatureJob.Spam spam;
        FeatureJob.Reviewers reviewers;
        try {
            spam = FeatureJob.Spam.loadForSyntheticEvents(config);
            reviewers = FeatureJob.Reviewers.load(reviewersConfig);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("eventstream: bad config: " + e.getMessage());
            return 2;
        }
        SpamJobConfig spamConfig = spam.config();
        double drain = drainTimeout != null
                ? drainTimeout
                : (spamConfig.maxOutOfOrdernessMillis() + spamConfig.allowedLatenessMillis()) / 1000.0 + 60;
        FreshnessBench.Settings settings =
                new FreshnessBench.Settings(rate, warmup, seconds, drain, parallelism, partitions, spam, reviewers);

        FreshnessBenchReport result = runDirectory.run(
                "freshness",
                spec,
                run -> FreshnessBench.run(
                        run, settings, kafka, spec.commandLine().getErr()));
        return result.measuredRowsSeen() == result.measuredEvents() ? 0 : 1;
    }
}
