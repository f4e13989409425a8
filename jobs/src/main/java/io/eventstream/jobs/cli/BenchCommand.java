package io.eventstream.jobs.cli;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.EventType;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.generator.GeneratorConfig;
import io.eventstream.generator.SyntheticEventGenerator;
import io.eventstream.jobs.bench.BenchReport;
import io.eventstream.jobs.bench.BenchReport.FlinkRun;
import io.eventstream.jobs.bench.BenchReport.Machine;
import io.eventstream.jobs.bench.BenchReport.Produce;
import io.eventstream.jobs.bench.BenchReport.Workload;
import io.eventstream.jobs.bench.ReviewerBenchReport;
import io.eventstream.jobs.bench.ReviewerFeatureLoop;
import io.eventstream.jobs.bench.SpamBenchReport;
import io.eventstream.jobs.bench.SpamFeatureLoop;
import io.eventstream.jobs.common.JobEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
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
        description =
                "Benchmarks a feature job end to end on this machine (real Kafka broker, embedded Flink MiniCluster).",
        subcommands = {
            BenchCommand.Spam.class,
            BenchCommand.Reviewers.class,
            GatewayBenchCommand.class,
            BenchFreshnessCommand.class,
            ServeBenchCommand.class
        })
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The options every job's benchmark takes, and the run of the benchmark they describe. */
    static final class BenchOptions {
        @Option(
                names = "--parallelism",
                paramLabel = "P",
                description = "Job parallelism (default: the number of cores).")
        Integer parallelism;

        @Option(
                names = "--partitions",
                paramLabel = "K",
                description = "Kafka topic partitions (default: the parallelism, at least 2).")
        Integer partitions;

        @Option(names = "--seed", defaultValue = "1", description = "Generator seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--config", paramLabel = "FILE", description = "Job config YAML (default: built-in defaults).")
        Path config;

        @Option(
                names = "--loop-rounds",
                defaultValue = "2",
                description =
                        "Passes of the plain loop; the best counts, the first warms up the JIT (default: ${DEFAULT-VALUE}).")
        int loopRounds;

        @Option(
                names = "--job-rounds",
                defaultValue = "2",
                description = "Runs of the job in this JVM, each over all the events into outputs of its own; the "
                        + "later round with the least CPU counts, the first (cold JVM: JIT compiling) is reported "
                        + "beside it (default: ${DEFAULT-VALUE}).")
        int jobRounds;

        @Mixin
        BenchRunDirectory runDirectory;

        @Option(
                names = "--out",
                paramLabel = "ROOT",
                description = "Write the datasets under ROOT/<run directory name> and the checkpoints under "
                        + "ROOT/<run directory name>-checkpoints instead of the run directory: e.g. s3://bucket/bench "
                        + "against the S3 server of AWS_ENDPOINT_URL (deploy/local/s3).")
        String out;

        @Option(
                names = "--state-backend",
                paramLabel = "TYPE",
                description = "Keyed state backend of the job: hashmap or rocksdb (incremental checkpoints) "
                        + "(default: Flink's, hashmap).")
        JobEnvironment.StateBackend stateBackend;

        @Mixin
        BenchKafka kafka;

        int parallelism() {
            return parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
        }

        int partitions() {
            return partitions != null ? partitions : Math.max(2, parallelism());
        }

        /**
         * Checks the options, resolves the broker ({@code --kafka}) and loads the job from
         * {@code --config} with {@code load}; null when the command is to exit 2 (the reason printed).
         */
        <J extends FeatureJob> J prepare(CommandSpec spec, Function<Path, J> load) {
            if (loopRounds < 1 || jobRounds < 1) {
                throw new ParameterException(spec.commandLine(), "--loop-rounds and --job-rounds must be at least 1");
            }
            if (parallelism() < 1 || partitions() < 1) {
                throw new ParameterException(spec.commandLine(), "--parallelism and --partitions must be at least 1");
            }
            if (!kafka.resolve(spec)) {
                return null;
            }
            return ConfigFile.load(config, load, spec.commandLine().getErr()::println);
        }

        /** Measures the job in a fresh run directory, prints and writes the report, cleans up. */
        int execute(CommandSpec spec, JobBench<?> bench) throws Exception {
            runDirectory.run(
                    bench.job().name(),
                    spec,
                    run -> measure(run, bench, spec.commandLine().getErr()));
            return 0;
        }

        /**
         * Generates the events (not timed), runs the job's production wiring on them from Kafka into
         * the run's datasets (or under {@code --out}) and SQLite online tables (timed), then its
         * plain loop; returns the job's report.
         */
        private <L extends BenchReport.LoopFigures> BenchReport.Printable measure(
                Path run, JobBench<L> bench, PrintWriter log) throws Exception {
            FeatureJob job = bench.job();
            JobBench.Events events = bench.events();
            log.printf(Locale.ROOT, "bench %s: %s ...%n", job.name(), events.description());
            log.flush();
            Path eventsFile = run.resolve("events.jsonl");
            long started = System.nanoTime();
            KafkaBenchRun.Generated generated = KafkaBenchRun.generate(
                    new SyntheticEventGenerator(events.generator()),
                    events.maxEvents(),
                    eventsFile,
                    bench::onGenerated);
            double generateSeconds = (System.nanoTime() - started) / 1e9;
            bench.generated(generated, generateSeconds, log);

            KafkaBenchRun.Measured measured = KafkaBenchRun.run(
                    run,
                    eventsFile,
                    job.name(),
                    parallelism(),
                    partitions(),
                    jobRounds,
                    job.settings().checkpointIntervalMillis(),
                    stateBackend,
                    out,
                    bench.onlineDatabase(),
                    bench.onlineTables(),
                    (env, source, datasetRoot, online) ->
                            job.defineWorkflow(env, source, datasetRoot, "sqlite:" + online),
                    generateSeconds,
                    kafka,
                    log);

            log.printf(Locale.ROOT, "bench %s: running the plain loop %d time(s) ...%n", job.name(), loopRounds);
            log.flush();
            L loop = bench.plainLoop(eventsFile, generated, loopRounds);
            double loadAfter = Machine.loadAverage();
            GeneratorConfig generator = events.generator();
            return bench.report(
                    Machine.current(measured.loadAverageBefore(), loadAfter),
                    new Workload(
                            generated.events(),
                            generated.bytes(),
                            seed,
                            generator.users(),
                            generator.projects(),
                            generator.days(),
                            generator.hotProjectMembers()),
                    measured.produce(),
                    measured.flink(),
                    loop,
                    measured.flink().eventsPerCpuSecond() / loop.eventsPerCpuSecond(),
                    measured.rounds(),
                    measured.coldRound() == null
                            ? null
                            : new BenchReport.ColdRound(
                                    measured.coldRound(),
                                    measured.coldRound().eventsPerCpuSecond() / loop.eventsPerCpuSecond()));
        }
    }

    /** The generator makes about 6 events per user and day; sized so N events come out before the last day. */
    private static final int EVENTS_PER_USER_ESTIMATE = 120;

    /** Days of the generator for N events. */
    private static final int DAYS = 30;

    /** Generator users for about {@code events} events in {@link #DAYS} days. */
    private static int usersFor(long events) {
        long estimate = (events + EVENTS_PER_USER_ESTIMATE - 1) / EVENTS_PER_USER_ESTIMATE;
        return (int) Math.max(20, Math.min(Integer.MAX_VALUE, estimate));
    }

    /**
     * The first {@code events} events of {@link #usersFor} users in one project per 20 users (at
     * least 5), over up to {@link #DAYS} days: the workload of {@code bench spam} and of
     * {@code bench reviewers} without {@code --hot-project}.
     */
    static JobBench.Events firstEvents(long events, long seed) {
        int users = usersFor(events);
        GeneratorConfig generator = GeneratorConfig.of(seed, users, Math.max(5, users / 20), DAYS);
        return new JobBench.Events(
                generator,
                events,
                String.format(
                        Locale.ROOT,
                        "generating %,d events (%d users, %d projects, up to %d days, seed %d)",
                        events,
                        users,
                        generator.projects(),
                        DAYS,
                        seed));
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
                "more than the per-core figures; the load average is printed with the results."
            },
            footer = {"", "Example:", "  eventstream bench spam --events 1000000 --report target/bench-spam.json"})
    static final class Spam implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--events",
                defaultValue = "1000000",
                paramLabel = "N",
                description = "Events to generate and run (default: ${DEFAULT-VALUE}).")
        long events;

        @Mixin
        BenchOptions options;

        @Override
        public Integer call() throws Exception {
            if (events < 1) {
                throw new ParameterException(spec.commandLine(), "--events must be at least 1");
            }
            FeatureJob.Spam job = options.prepare(spec, FeatureJob.Spam::loadForSyntheticEvents);
            return job == null ? 2 : options.execute(spec, new SpamBench(job, firstEvents(events, options.seed)));
        }
    }

    /** The spam job's part of its benchmark: its online table, its loop, the state bytes per active user. */
    record SpamBench(FeatureJob.Spam job, JobBench.Events events) implements JobBench<SpamBenchReport.Loop> {

        @Override
        public void generated(KafkaBenchRun.Generated generated, double generateSeconds, PrintWriter log) {
            if (generated.events() < events.maxEvents()) {
                log.printf(Locale.ROOT, "bench spam: the generator ran out after %,d events%n", generated.events());
            }
        }

        @Override
        public String onlineDatabase() {
            return SpamFeatureSet.ONLINE_TABLE;
        }

        @Override
        public List<String> onlineTables() {
            return List.of(SpamFeatureSet.ONLINE_TABLE);
        }

        @Override
        public SpamBenchReport.Loop plainLoop(Path eventsFile, KafkaBenchRun.Generated generated, int rounds)
                throws IOException {
            List<byte[]> records = KafkaBenchRun.readLines(eventsFile);
            SpamFeatureLoop loop = new SpamFeatureLoop(job.config(), job.hashKey());
            SpamFeatureLoop.Pass best =
                    JobBench.leastCpu(rounds, () -> loop.run(records), SpamFeatureLoop.Pass::cpuNanos);
            // The state a checkpoint would hold after the last event (the bounded job itself ends with
            // every user expired, as end of input moves the watermark to the end of time).
            SpamFeatureLoop.StateSize state = loop.stateSize(best.states(), generated.latestEventMillis());
            return new SpamBenchReport.Loop(
                    rounds,
                    best.wallNanos() / 1e9,
                    best.cpuNanos() / 1e9,
                    best.eventsPerCpuSecond(),
                    best.featureRows(),
                    state.activeUsers(),
                    state.bytesPerActiveUser(),
                    state.onlineBytesPerActiveUser());
        }

        @Override
        public SpamBenchReport report(
                Machine machine,
                Workload workload,
                Produce produce,
                FlinkRun flink,
                SpamBenchReport.Loop loop,
                double flinkPerCoreVsLoop,
                int jobRounds,
                BenchReport.ColdRound coldRound) {
            return new SpamBenchReport(
                    machine, workload, produce, flink, loop, flinkPerCoreVsLoop, jobRounds, coldRound);
        }
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
                "project 100, each with --hot-sessions sessions a day) instead, all of it (--events is ignored)."
            },
            footer = {
                "",
                "Examples:",
                "  eventstream bench reviewers --events 200000",
                "  eventstream bench reviewers --hot-project --report target/bench-reviewers-hot.json"
            })
    static final class Reviewers implements Callable<Integer> {
        /** The hot project is the generator's first project. */
        static final long HOT_PROJECT_ID = 100;

        @Spec
        CommandSpec spec;

        @Option(
                names = "--events",
                defaultValue = "200000",
                paramLabel = "N",
                description = "Events to generate and run, without --hot-project (default: ${DEFAULT-VALUE}).")
        long events;

        @Option(names = "--hot-project", description = "A year with one hot project key instead (see above).")
        boolean hotProject;

        @Option(
                names = "--hot-members",
                defaultValue = "2500",
                paramLabel = "M",
                description = "Extra developers of the hot project (default: ${DEFAULT-VALUE}).")
        int hotMembers;

        @Option(
                names = "--hot-sessions",
                defaultValue = "0.8",
                paramLabel = "S",
                description =
                        "Sessions per day of each of them; 0.8 gives about 54,000 MRs a year with 2,500 (default: ${DEFAULT-VALUE}).")
        double hotSessions;

        @Option(
                names = "--users",
                defaultValue = "300",
                paramLabel = "U",
                description = "Other users, with --hot-project (default: ${DEFAULT-VALUE}).")
        int backgroundUsers;

        @Option(
                names = "--days",
                defaultValue = "365",
                description = "Simulated days, with --hot-project (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(
                names = "--state-days",
                split = ",",
                defaultValue = "30,90,180,365",
                paramLabel = "D",
                description =
                        "Days at whose end the sampled project's state is serialized (default: ${DEFAULT-VALUE}).")
        int[] stateDays;

        @Mixin
        BenchOptions options;

        @Override
        public Integer call() throws Exception {
            if (events < 1 || days < 1 || backgroundUsers < 1 || hotMembers < 0) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--events, --days and --users must be at least 1, --hot-members not negative");
            }
            FeatureJob.Reviewers job = options.prepare(spec, FeatureJob.Reviewers::load);
            if (job == null) {
                return 2;
            }
            int[] sampleDays = Arrays.stream(stateDays).sorted().distinct().toArray();
            return options.execute(
                    spec,
                    hotProject
                            ? new ReviewerBench(job, hotProjectYear(), sampleDays, HOT_PROJECT_ID)
                            : new ReviewerBench(job, firstEvents(events, options.seed), sampleDays, null));
        }

        /** {@code --days} of {@code --users} users with {@code --hot-members} more in the hot project. */
        private JobBench.Events hotProjectYear() {
            int projects = Math.max(5, backgroundUsers / 20);
            return new JobBench.Events(
                    GeneratorConfig.of(options.seed, backgroundUsers, projects, days)
                            .withHotProject(hotMembers, hotSessions),
                    Long.MAX_VALUE,
                    String.format(
                            Locale.ROOT,
                            "generating %d days with a hot project (%d extra members at %.2f sessions a day; %d other "
                                    + "users, %d projects, seed %d)",
                            days,
                            hotMembers,
                            hotSessions,
                            backgroundUsers,
                            projects,
                            options.seed));
        }
    }

    /**
     * The reviewer job's part of its benchmark: both online tables in one SQLite file, its loop with
     * the sampled project's state by day, and the hot project's merge requests counted as generated.
     */
    static final class ReviewerBench implements JobBench<ReviewerBenchReport.Loop> {
        private static final String HOT_SUBJECT = "projects/" + Reviewers.HOT_PROJECT_ID + "/merge_requests/";

        private final FeatureJob.Reviewers job;
        private final Events events;
        private final int[] sampleDays;
        /** The project whose state the loop samples; null for the one with the most inputs. */
        private final Long sampledProject;

        private long hotMergeRequests;

        ReviewerBench(FeatureJob.Reviewers job, Events events, int[] sampleDays, Long sampledProject) {
            this.job = job;
            this.events = events;
            this.sampleDays = sampleDays;
            this.sampledProject = sampledProject;
        }

        @Override
        public FeatureJob.Reviewers job() {
            return job;
        }

        @Override
        public Events events() {
            return events;
        }

        @Override
        public void onGenerated(CloudEvent event) {
            if (event.type() == EventType.MERGE_REQUEST_OPENED
                    && event.subject().startsWith(HOT_SUBJECT)) {
                hotMergeRequests++;
            }
        }

        @Override
        public void generated(KafkaBenchRun.Generated generated, double generateSeconds, PrintWriter log) {
            log.printf(
                    Locale.ROOT,
                    "bench reviewers: %,d events in %.1f s; project %d: %,d merge requests opened%n",
                    generated.events(),
                    generateSeconds,
                    Reviewers.HOT_PROJECT_ID,
                    hotMergeRequests);
        }

        @Override
        public String onlineDatabase() {
            return "reviewer_features";
        }

        @Override
        public List<String> onlineTables() {
            return List.of(ReviewerFeatureSet.ONLINE_USER_TABLE, ReviewerFeatureSet.ONLINE_PATH_TABLE);
        }

        @Override
        public ReviewerBenchReport.Loop plainLoop(Path eventsFile, KafkaBenchRun.Generated generated, int rounds)
                throws IOException {
            ReviewerFeatureLoop loop = new ReviewerFeatureLoop(job.config());
            long start = events.generator().start().toEpochMilli();
            ReviewerFeatureLoop.Pass best = JobBench.leastCpu(
                    rounds,
                    () -> loop.run(eventsFile, start, sampleDays, sampledProject),
                    ReviewerFeatureLoop.Pass::cpuNanos);
            return new ReviewerBenchReport.Loop(
                    rounds,
                    best.wallNanos() / 1e9,
                    best.cpuNanos() / 1e9,
                    best.eventsPerCpuSecond(),
                    best.inputs(),
                    best.candidateRows(),
                    best.labelRows(),
                    best.sampledProject(),
                    best.sampledProjectInputs(),
                    best.samples());
        }

        @Override
        public ReviewerBenchReport report(
                Machine machine,
                Workload workload,
                Produce produce,
                FlinkRun flink,
                ReviewerBenchReport.Loop loop,
                double flinkPerCoreVsLoop,
                int jobRounds,
                BenchReport.ColdRound coldRound) {
            return new ReviewerBenchReport(
                    machine, workload, produce, flink, loop, flinkPerCoreVsLoop, jobRounds, coldRound);
        }
    }
}
