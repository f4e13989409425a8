package io.eventstream.jobs.cli;

import io.eventstream.features.config.ConfigException;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.EventType;
import io.eventstream.features.generator.GeneratorConfig;
import io.eventstream.features.generator.SyntheticEventGenerator;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.jobs.bench.BenchReport;
import io.eventstream.jobs.bench.BenchReport.Machine;
import io.eventstream.jobs.bench.BenchReport.Workload;
import io.eventstream.jobs.bench.ReviewerBenchReport;
import io.eventstream.jobs.bench.ReviewerFeatureLoop;
import io.eventstream.jobs.bench.SpamBenchReport;
import io.eventstream.jobs.bench.SpamBenchReport.Loop;
import io.eventstream.jobs.bench.SpamFeatureLoop;
import io.eventstream.jobs.reviewers.ReviewerOutputs;
import io.eventstream.jobs.reviewers.ReviewerTopology;
import io.eventstream.jobs.spam.SpamOutputs;
import io.eventstream.jobs.spam.SpamTopology;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code eventstream bench <job>}: throughput and cost of a feature job on this machine. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks a feature job end to end on this machine (real Kafka broker, embedded Flink MiniCluster).",
        subcommands = {BenchCommand.Spam.class, BenchCommand.Reviewers.class, GatewayBenchCommand.class,
                BenchFreshnessCommand.class, ServeBenchCommand.class})
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The options every job's benchmark takes, and the run directory they imply. */
    static final class BenchOptions {
        @Option(names = "--parallelism", paramLabel = "P",
                description = "Job parallelism (default: the number of cores).")
        Integer parallelism;

        @Option(names = "--partitions", paramLabel = "K",
                description = "Kafka topic partitions (default: the parallelism, at least 2).")
        Integer partitions;

        @Option(names = "--seed", defaultValue = "1", description = "Generator seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--config", paramLabel = "FILE", description = "Job config YAML (default: built-in defaults).")
        Path config;

        @Option(names = "--loop-rounds", defaultValue = "2",
                description = "Passes of the plain loop; the best counts, the first warms up the JIT (default: ${DEFAULT-VALUE}).")
        int loopRounds;

        @Option(names = "--work-dir", paramLabel = "DIR",
                description = "Where the run directory (events, Kafka log, outputs) is made (default: the temp directory).")
        Path workDir;

        @Option(names = "--keep", description = "Keep the run directory (events file, Kafka log, datasets, online tables).")
        boolean keep;

        @Option(names = "--report", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
        Path report;

        @Mixin
        BenchKafka kafka;

        int parallelism() {
            return parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
        }

        int partitions() {
            return partitions != null ? partitions : Math.max(2, parallelism());
        }

        void validate(CommandSpec spec) {
            if (loopRounds < 1) {
                throw new ParameterException(spec.commandLine(), "--loop-rounds must be at least 1");
            }
            if (parallelism() < 1 || partitions() < 1) {
                throw new ParameterException(spec.commandLine(), "--parallelism and --partitions must be at least 1");
            }
        }

        /** A benchmark body: given its fresh run directory, measures and returns the report. */
        interface Body {
            BenchReport.Printable run(Path runDir) throws Exception;
        }

        /** Makes a fresh run directory, runs the body in it, prints and writes the report, cleans up. */
        int execute(String job, CommandSpec spec, Body body) throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Path parent = workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(parent);
            Path run = Files.createTempDirectory(parent.toAbsolutePath(), "bench-" + job + "-");
            try {
                BenchReport.Printable result = body.run(run);
                result.print(out);
                out.flush();
                if (report != null) {
                    result.writeJson(report);
                    out.println("report written to " + report);
                }
            } finally {
                if (keep) {
                    out.println("run directory kept: " + run);
                } else {
                    KafkaBenchRun.deleteRecursively(run);
                }
                out.flush();
            }
            return 0;
        }
    }

    /**
     * {@code eventstream bench spam}: generates events to a local Kafka broker (not timed), runs the
     * spam job from Kafka to Parquet and SQLite (timed: wall, process CPU, peak heap), then runs the
     * same per-event work as a plain single-threaded loop (the practical limit) and compares.
     */
    @Command(
            name = "spam",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Benchmarks the spam features job: generates N events and produces them to an in-process Kafka",
                "broker (not timed), runs the job from Kafka (bounded) to the Parquet datasets and the SQLite online",
                "table on an embedded MiniCluster (timed), then a plain single-threaded loop over the same events.",
                "Prints events/s, CPU s per million events, events/s per core of CPU used, peak heap, state bytes",
                "per active user and the Flink ÷ loop ratio. Measures CPU time, so a busy machine skews wall time",
                "more than the per-core figures; the load average is printed with the results."},
            footer = {"", "Example:", "  eventstream bench spam --events 1000000 --report target/bench-spam.json"})
    static final class Spam implements Callable<Integer> {
        /** The events are synthetic: a fixed key is fine when EVENTSTREAM_HASH_KEY (or hashing.*) is not set. */
        private static final String BENCH_HASH_KEY = "eventstream-bench-hash-key";
        /** The generator makes about 6 events per user and day; sized so N events come out before the last day. */
        static final int EVENTS_PER_USER_ESTIMATE = 120;
        static final int DAYS = 30;

        @Spec
        CommandSpec spec;

        @Option(names = "--events", defaultValue = "1000000", paramLabel = "N",
                description = "Events to generate and run (default: ${DEFAULT-VALUE}).")
        long events;

        @Option(names = "--out", paramLabel = "ROOT",
                description = "Write the datasets under ROOT/<run directory name> instead of the run directory: "
                        + "e.g. s3://bucket/bench against the S3 server of AWS_ENDPOINT_URL (deploy/local/s3).")
        String out;

        @Mixin
        BenchOptions options;

        @Override
        public Integer call() throws Exception {
            if (events < 1) {
                throw new ParameterException(spec.commandLine(), "--events must be at least 1");
            }
            options.validate(spec);
            if (!options.kafka.resolve(spec)) {
                return 2;
            }
            SpamJobConfig jobConfig;
            byte[] hashKey;
            try {
                jobConfig = options.config == null ? SpamJobConfig.defaults() : SpamJobConfig.load(options.config);
                Map<String, String> environment = new HashMap<>(System.getenv());
                environment.putIfAbsent(jobConfig.hashKeyEnv(), BENCH_HASH_KEY);
                hashKey = jobConfig.resolveHashKey(environment);
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("eventstream: bad config"
                        + (options.config == null ? "" : " " + options.config) + ": " + e.getMessage());
                return 2;
            }
            return options.execute("spam", spec, run -> run(run, jobConfig, hashKey, spec.commandLine().getErr()));
        }

        private SpamBenchReport run(Path run, SpamJobConfig jobConfig, byte[] hashKey, PrintWriter log) throws Exception {
            int users = usersFor(events);
            int projects = Math.max(5, users / 20);
            GeneratorConfig generatorConfig = GeneratorConfig.of(options.seed, users, projects, DAYS);
            Path eventsFile = run.resolve("events.jsonl");

            log.printf(Locale.ROOT, "bench spam: generating %,d events (%d users, %d projects, up to %d days, seed %d) ...%n",
                    events, users, projects, DAYS, options.seed);
            log.flush();
            long started = System.nanoTime();
            KafkaBenchRun.Generated generated = KafkaBenchRun.generate(new SyntheticEventGenerator(generatorConfig),
                    events, eventsFile, event -> { });
            double generateSeconds = (System.nanoTime() - started) / 1e9;
            long count = generated.events();
            if (count < events) {
                log.printf(Locale.ROOT, "bench spam: the generator ran out after %,d events%n", count);
            }

            Path online = run.resolve("out/online/" + SpamFeatureSet.ONLINE_TABLE + ".sqlite");
            String datasetRoot = out == null ? run.resolve("out/datasets").toString()
                    : out.replaceAll("/+$", "") + "/" + run.getFileName();
            SpamOutputs outputs = new SpamOutputs(datasetRoot, "sqlite:" + online, null, null, false);
            KafkaBenchRun.Measured measured = KafkaBenchRun.run(run, eventsFile, "spam", options.parallelism(),
                    options.partitions(), jobConfig.checkpointIntervalMillis(),
                    (env, source) -> outputs.attachVersions(SpamTopology.define(
                            source.create(env, SpamTopology.watermarks(jobConfig)), jobConfig, hashKey), jobConfig),
                    Map.of(SpamFeatureSet.ONLINE_TABLE, online), generateSeconds, options.kafka, log);

            log.printf(Locale.ROOT, "bench spam: running the plain loop %d time(s) ...%n", options.loopRounds);
            log.flush();
            List<byte[]> records = KafkaBenchRun.readLines(eventsFile);
            SpamFeatureLoop loop = new SpamFeatureLoop(jobConfig, hashKey);
            SpamFeatureLoop.Pass best = null;
            for (int round = 0; round < options.loopRounds; round++) {
                SpamFeatureLoop.Pass pass = loop.run(records);
                if (best == null || pass.cpuNanos() < best.cpuNanos()) {
                    best = pass;
                }
            }
            // The state a checkpoint would hold after the last event (the bounded job itself ends with
            // every user expired, as end of input moves the watermark to the end of time).
            SpamFeatureLoop.StateSize state = loop.stateSize(best.states(), generated.latestEventMillis());
            double loadAfter = Machine.loadAverage();

            Loop loopFigures = new Loop(options.loopRounds, best.wallNanos() / 1e9, best.cpuNanos() / 1e9,
                    best.eventsPerCpuSecond(), best.featureRows(), state.activeUsers(), state.bytesPerActiveUser(),
                    state.onlineBytesPerActiveUser());
            return new SpamBenchReport(Machine.current(measured.loadAverageBefore(), loadAfter),
                    new Workload(count, generated.bytes(), options.seed, users, projects, DAYS, 0),
                    measured.produce(), measured.flink(), loopFigures,
                    measured.flink().eventsPerCpuSecond() / loopFigures.eventsPerCpuSecond());
        }
    }

    /** Generator users for about {@code events} events in {@link Spam#DAYS} days. */
    static int usersFor(long events) {
        long estimate = (events + Spam.EVENTS_PER_USER_ESTIMATE - 1) / Spam.EVENTS_PER_USER_ESTIMATE;
        return (int) Math.max(20, Math.min(Integer.MAX_VALUE, estimate));
    }

    /**
     * {@code eventstream bench reviewers}: the same measurement for the reviewer job, on the spam
     * bench's workload or (with {@code --hot-project}) on a year with one hot project key, with the
     * growth of that project's state.
     */
    @Command(
            name = "reviewers",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Benchmarks the reviewer features job like 'bench spam': N generated events on an in-process Kafka",
                "broker (not timed), the job from Kafka (bounded) to the Parquet datasets and the SQLite online tables",
                "on an embedded MiniCluster (timed), then a plain single-threaded loop over the same events that also",
                "samples the serialized state of the busiest project at --state-days.",
                "With --hot-project: a year of activity with one hot project (--hot-members extra developers in",
                "project 100, each with --hot-sessions sessions a day) instead, all of it (--events is ignored)."},
            footer = {"", "Examples:", "  eventstream bench reviewers --events 200000",
                "  eventstream bench reviewers --hot-project --report target/bench-reviewers-hot.json"})
    static final class Reviewers implements Callable<Integer> {
        /** The hot project is the generator's first project. */
        static final long HOT_PROJECT_ID = 100;

        @Spec
        CommandSpec spec;

        @Option(names = "--events", defaultValue = "200000", paramLabel = "N",
                description = "Events to generate and run, without --hot-project (default: ${DEFAULT-VALUE}).")
        long events;

        @Option(names = "--hot-project", description = "A year with one hot project key instead (see above).")
        boolean hotProject;

        @Option(names = "--hot-members", defaultValue = "2500", paramLabel = "M",
                description = "Extra developers of the hot project (default: ${DEFAULT-VALUE}).")
        int hotMembers;

        @Option(names = "--hot-sessions", defaultValue = "0.8", paramLabel = "S",
                description = "Sessions per day of each of them; 0.8 gives about 54,000 MRs a year with 2,500 (default: ${DEFAULT-VALUE}).")
        double hotSessions;

        @Option(names = "--users", defaultValue = "300", paramLabel = "U",
                description = "Other users, with --hot-project (default: ${DEFAULT-VALUE}).")
        int backgroundUsers;

        @Option(names = "--days", defaultValue = "365", description = "Simulated days, with --hot-project (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--state-days", split = ",", defaultValue = "30,90,180,365", paramLabel = "D",
                description = "Days at whose end the sampled project's state is serialized (default: ${DEFAULT-VALUE}).")
        int[] stateDays;

        @Mixin
        BenchOptions options;

        @Override
        public Integer call() throws Exception {
            if (events < 1 || days < 1 || backgroundUsers < 1 || hotMembers < 0) {
                throw new ParameterException(spec.commandLine(),
                        "--events, --days and --users must be at least 1, --hot-members not negative");
            }
            options.validate(spec);
            if (!options.kafka.resolve(spec)) {
                return 2;
            }
            ReviewerJobConfig jobConfig;
            try {
                jobConfig = options.config == null ? ReviewerJobConfig.defaults() : ReviewerJobConfig.load(options.config);
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("eventstream: bad config"
                        + (options.config == null ? "" : " " + options.config) + ": " + e.getMessage());
                return 2;
            }
            int[] sampleDays = java.util.Arrays.stream(stateDays).sorted().distinct().toArray();
            return options.execute("reviewers", spec, run -> run(run, jobConfig, sampleDays, spec.commandLine().getErr()));
        }

        private ReviewerBenchReport run(Path run, ReviewerJobConfig jobConfig, int[] sampleDays, PrintWriter log)
                throws Exception {
            GeneratorConfig generatorConfig;
            long maxEvents;
            if (hotProject) {
                int projects = Math.max(5, backgroundUsers / 20);
                generatorConfig = GeneratorConfig.of(options.seed, backgroundUsers, projects, days)
                        .withHotProject(hotMembers, hotSessions);
                maxEvents = Long.MAX_VALUE;
                log.printf(Locale.ROOT, "bench reviewers: generating %d days with a hot project (%d extra members at %.2f "
                                + "sessions a day; %d other users, %d projects, seed %d) ...%n",
                        days, hotMembers, hotSessions, backgroundUsers, projects, options.seed);
            } else {
                int users = usersFor(events);
                generatorConfig = GeneratorConfig.of(options.seed, users, Math.max(5, users / 20), Spam.DAYS);
                maxEvents = events;
                log.printf(Locale.ROOT, "bench reviewers: generating %,d events (%d users, %d projects, up to %d days, seed %d) ...%n",
                        events, users, generatorConfig.projects(), Spam.DAYS, options.seed);
            }
            log.flush();
            Path eventsFile = run.resolve("events.jsonl");
            long started = System.nanoTime();
            long[] hotMergeRequests = new long[1];
            String hotSubject = "projects/" + HOT_PROJECT_ID + "/merge_requests/";
            KafkaBenchRun.Generated generated = KafkaBenchRun.generate(new SyntheticEventGenerator(generatorConfig),
                    maxEvents, eventsFile, event -> {
                        if (event.type() == EventType.MERGE_REQUEST_OPENED && event.subject().startsWith(hotSubject)) {
                            hotMergeRequests[0]++;
                        }
                    });
            double generateSeconds = (System.nanoTime() - started) / 1e9;
            log.printf(Locale.ROOT, "bench reviewers: %,d events in %.1f s; project %d: %,d merge requests opened%n",
                    generated.events(), generateSeconds, HOT_PROJECT_ID, hotMergeRequests[0]);

            Path online = run.resolve("out/online/reviewer_features.sqlite");
            ReviewerOutputs outputs = new ReviewerOutputs(run.resolve("out/datasets"), "sqlite:" + online);
            Map<String, Path> tables = new LinkedHashMap<>();
            tables.put(ReviewerFeatureSet.ONLINE_USER_TABLE, online);
            tables.put(ReviewerFeatureSet.ONLINE_PATH_TABLE, online);
            KafkaBenchRun.Measured measured = KafkaBenchRun.run(run, eventsFile, "reviewers", options.parallelism(),
                    options.partitions(), jobConfig.checkpointIntervalMillis(),
                    (env, source) -> outputs.attachVersions(ReviewerTopology.define(
                            source.create(env, ReviewerTopology.watermarks(jobConfig)), jobConfig), jobConfig),
                    tables, generateSeconds, options.kafka, log);

            log.printf(Locale.ROOT, "bench reviewers: running the plain loop %d time(s) ...%n", options.loopRounds);
            log.flush();
            ReviewerFeatureLoop loop = new ReviewerFeatureLoop(jobConfig);
            long start = generatorConfig.start().toEpochMilli();
            Long sampled = hotProject ? HOT_PROJECT_ID : null;
            ReviewerFeatureLoop.Pass best = null;
            for (int round = 0; round < options.loopRounds; round++) {
                ReviewerFeatureLoop.Pass pass = loop.run(eventsFile, start, sampleDays, sampled);
                if (best == null || pass.cpuNanos() < best.cpuNanos()) {
                    best = pass;
                }
            }
            double loadAfter = Machine.loadAverage();
            ReviewerBenchReport.Loop loopFigures = new ReviewerBenchReport.Loop(options.loopRounds, best.wallNanos() / 1e9,
                    best.cpuNanos() / 1e9, best.eventsPerCpuSecond(), best.inputs(), best.candidateRows(),
                    best.labelRows(), best.sampledProject(), best.sampledProjectInputs(), best.samples());
            return new ReviewerBenchReport(Machine.current(measured.loadAverageBefore(), loadAfter),
                    new Workload(generated.events(), generated.bytes(), options.seed, generatorConfig.users(),
                            generatorConfig.projects(), generatorConfig.days(), generatorConfig.hotProjectMembers()),
                    measured.produce(), measured.flink(), loopFigures,
                    measured.flink().eventsPerCpuSecond() / loopFigures.eventsPerCpuSecond());
        }
    }
}
