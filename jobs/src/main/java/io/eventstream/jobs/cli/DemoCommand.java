package io.eventstream.jobs.cli;

import io.eventstream.connectors.parquet.DatasetSink;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.config.SpamJobConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eventstream demo}: the whole pipeline on one machine with no services. Generates synthetic
 * activity, runs both feature jobs on an embedded Flink MiniCluster, and says what they wrote and
 * how to read it.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Generates a week of synthetic GitLab activity, runs the spam and the reviewer features jobs "
                + "on an embedded Flink MiniCluster, writes the Parquet datasets and the SQLite online tables under "
                + "--out, and prints a summary. Needs no external services.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "out/demo", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--users",
            defaultValue = "3000",
            description = "Users, spammers included (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--projects", defaultValue = "80", description = "Projects (default: ${DEFAULT-VALUE}).")
    int projects;

    @Option(names = "--days", defaultValue = "7", description = "Simulated days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            defaultValue = "deploy/config/spam.yaml",
            description = "Spam job config (default: ${DEFAULT-VALUE}; built-in defaults when the file is absent).")
    Path config;

    @Option(
            names = "--reviewers-config",
            paramLabel = "FILE",
            defaultValue = "deploy/config/reviewers.yaml",
            description = "Reviewer job config (default: ${DEFAULT-VALUE}; built-in defaults when the file is absent).")
    Path reviewersConfig;

    @Option(names = "--no-reviewers", description = "Run the spam job only.")
    boolean spamOnly;

    @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        Path events = out.resolve("events.jsonl");
        Path truth = out.resolve("truth.jsonl");
        Path datasets = out.resolve("datasets");
        Path online = out.resolve("online/spam_user_features.sqlite");
        if (Files.exists(datasets) || Files.exists(online)) {
            spec.commandLine()
                    .getErr()
                    .println("demo: " + out + " already holds a demo; remove it or pass another --out");
            return 2;
        }
        Files.createDirectories(out);

        int generated = new CommandLine(new GenerateCommand())
                .execute(
                        "--seed",
                        Long.toString(seed),
                        "--users",
                        Integer.toString(users),
                        "--projects",
                        Integer.toString(projects),
                        "--days",
                        Integer.toString(days),
                        "--out",
                        events.toString(),
                        "--truth",
                        truth.toString());
        if (generated != 0) {
            return generated;
        }

        SpamJobConfig jobConfig = Files.exists(config) ? SpamJobConfig.load(config) : SpamJobConfig.defaults();
        FeatureJob.Spam spam = new FeatureJob.Spam(jobConfig, demoHashKey(jobConfig));
        SourceOptions source = SourceOptions.files(List.of(events));
        JobOutputOptions output = new JobOutputOptions();
        output.out = datasets.toString();
        output.online = "sqlite:" + online;
        output.execution.parallelism = parallelism;
        Map<String, org.apache.flink.core.fs.Path> written =
                FeatureJob.run(spam, source.jobSource(), output, env -> {}, spam.title(), stdout);
        if (!spamOnly) {
            FeatureJob.Reviewers reviewers = new FeatureJob.Reviewers(
                    Files.exists(reviewersConfig)
                            ? ReviewerJobConfig.load(reviewersConfig)
                            : ReviewerJobConfig.defaults());
            JobOutputOptions reviewerOutput = new JobOutputOptions();
            reviewerOutput.out = datasets.toString();
            reviewerOutput.online = "sqlite:" + out.resolve("online/reviewer_features.sqlite");
            reviewerOutput.execution.parallelism = parallelism;
            FeatureJob.run(reviewers, source.jobSource(), reviewerOutput, env -> {}, reviewers.title(), stdout);
        }

        long eventCount;
        try (var lines = Files.lines(events)) {
            eventCount = lines.count();
        }
        stdout.printf("%nevents in: %,d (%s); ground truth: %s%n", eventCount, events, truth);
        stdout.println("read the features in two lines of Python (pip install duckdb):");
        stdout.println("  import duckdb");
        stdout.printf(
                "  duckdb.sql(\"select * from read_parquet('%s/*/*/*.parquet', hive_partitioning=true) limit 5\").show()%n",
                DatasetSink.localDirs(written).get("spam_features"));
        stdout.println("or open the notebooks: notebooks/README.md (they read " + out + " by default)");
        return 0;
    }

    /**
     * The email-domain hash key: the configured one when the environment provides it, else a random
     * key for this demo only, so the demo runs on a fresh machine without a secret in the code.
     */
    private byte[] demoHashKey(SpamJobConfig jobConfig) {
        if (System.getenv(jobConfig.hashKeyEnv()) != null) {
            return jobConfig.resolveHashKey(System.getenv());
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        spec.commandLine()
                .getErr()
                .println("demo: " + jobConfig.hashKeyEnv()
                        + " is not set; hashing email domains with a random key for this run only");
        return HexFormat.of().formatHex(random).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
