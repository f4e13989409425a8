package io.eventstream.jobs.cli;

import io.eventstream.connectors.kafka.KafkaEventWriter;
import io.eventstream.connectors.kafka.LocalKafkaBroker;
import io.eventstream.connectors.parquet.DatasetStats;
import io.eventstream.features.config.ConfigException;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.generator.GeneratorConfig;
import io.eventstream.features.generator.SyntheticEventGenerator;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.jobs.bench.ResourceMeter;
import io.eventstream.jobs.bench.SpamBenchReport;
import io.eventstream.jobs.bench.SpamBenchReport.FlinkRun;
import io.eventstream.jobs.bench.SpamBenchReport.Loop;
import io.eventstream.jobs.bench.SpamBenchReport.Machine;
import io.eventstream.jobs.bench.SpamBenchReport.Produce;
import io.eventstream.jobs.bench.SpamBenchReport.Workload;
import io.eventstream.jobs.bench.SpamFeatureLoop;
import io.eventstream.jobs.spam.SpamOutputs;
import io.eventstream.jobs.spam.SpamTopology;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code eventstream bench <job>}: throughput and cost of a feature job on this machine. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks a feature job end to end on this machine (real Kafka broker, embedded Flink MiniCluster).",
        subcommands = {BenchCommand.Spam.class})
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
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
        static final String TOPIC = "bench-events";
        /** The events are synthetic: a fixed key is fine when EVENTSTREAM_HASH_KEY (or hashing.*) is not set. */
        private static final String BENCH_HASH_KEY = "eventstream-bench-hash-key";
        /** The generator makes about 6 events per user and day; sized so N events come out before the last day. */
        private static final int EVENTS_PER_USER_ESTIMATE = 120;
        private static final int DAYS = 30;

        @Spec
        CommandSpec spec;

        @Option(names = "--events", defaultValue = "1000000", paramLabel = "N",
                description = "Events to generate and run (default: ${DEFAULT-VALUE}).")
        long events;

        @Option(names = "--parallelism", paramLabel = "P",
                description = "Job parallelism (default: the number of cores).")
        Integer parallelism;

        @Option(names = "--partitions", paramLabel = "K",
                description = "Kafka topic partitions (default: the parallelism, at least 2).")
        Integer partitions;

        @Option(names = "--seed", defaultValue = "1", description = "Generator seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--config", paramLabel = "FILE", description = "Spam job config YAML (default: built-in defaults).")
        Path config;

        @Option(names = "--loop-rounds", defaultValue = "2",
                description = "Passes of the plain loop; the best counts, the first warms up the JIT (default: ${DEFAULT-VALUE}).")
        int loopRounds;

        @Option(names = "--work-dir", paramLabel = "DIR",
                description = "Where the run directory (events, Kafka log, outputs) is made (default: the temp directory).")
        Path workDir;

        @Option(names = "--keep", description = "Keep the run directory (events file, Kafka log, datasets, online table).")
        boolean keep;

        @Option(names = "--report", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
        Path report;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (events < 1) {
                throw new ParameterException(spec.commandLine(), "--events must be at least 1");
            }
            if (loopRounds < 1) {
                throw new ParameterException(spec.commandLine(), "--loop-rounds must be at least 1");
            }
            int p = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
            int k = partitions != null ? partitions : Math.max(2, p);
            if (p < 1 || k < 1) {
                throw new ParameterException(spec.commandLine(), "--parallelism and --partitions must be at least 1");
            }
            SpamJobConfig jobConfig;
            byte[] hashKey;
            try {
                jobConfig = config == null ? SpamJobConfig.defaults() : SpamJobConfig.load(config);
                Map<String, String> environment = new HashMap<>(System.getenv());
                environment.putIfAbsent(jobConfig.hashKeyEnv(), BENCH_HASH_KEY);
                hashKey = jobConfig.resolveHashKey(environment);
            } catch (ConfigException e) {
                err.println("eventstream: bad config" + (config == null ? "" : " " + config) + ": " + e.getMessage());
                return 2;
            }

            Path parent = workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(parent);
            Path run = Files.createTempDirectory(parent.toAbsolutePath(), "bench-spam-");
            try {
                SpamBenchReport result = run(run, p, k, jobConfig, hashKey, err);
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
                    deleteRecursively(run);
                }
                out.flush();
            }
            return 0;
        }

        private SpamBenchReport run(Path run, int p, int k, SpamJobConfig jobConfig, byte[] hashKey, PrintWriter log)
                throws Exception {
            int users = (int) Math.max(20, Math.min(Integer.MAX_VALUE, (events + EVENTS_PER_USER_ESTIMATE - 1) / EVENTS_PER_USER_ESTIMATE));
            int projects = Math.max(5, users / 20);
            GeneratorConfig generatorConfig = GeneratorConfig.of(seed, users, projects, DAYS);
            Path eventsFile = run.resolve("events.jsonl");

            log.printf(Locale.ROOT, "bench spam: generating %,d events (%d users, %d projects, up to %d days, seed %d) ...%n",
                    events, users, projects, DAYS, seed);
            log.flush();
            long started = System.nanoTime();
            Generated generated = generate(generatorConfig, eventsFile);
            double generateSeconds = (System.nanoTime() - started) / 1e9;
            long count = generated.events();
            if (count < events) {
                log.printf(Locale.ROOT, "bench spam: the generator ran out after %,d events%n", count);
            }

            double loadBefore;
            ResourceMeter.Usage usage;
            JobExecutionResult result;
            Map<String, Long> rows = new LinkedHashMap<>();
            Map<String, Long> files = new LinkedHashMap<>();
            long onlineRows;
            double produceSeconds;
            boolean objectReuse;
            try (LocalKafkaBroker kafka = new LocalKafkaBroker(run.resolve("kafka")).start()) {
                kafka.createTopic(TOPIC, k);
                started = System.nanoTime();
                long produced = produce(kafka.bootstrapServers(), eventsFile);
                produceSeconds = (System.nanoTime() - started) / 1e9;
                log.printf(Locale.ROOT, "bench spam: produced %,d events to %d partitions in %.1f s (%,.0f events/s); running the job ...%n",
                        produced, k, produceSeconds, produced / produceSeconds);
                log.flush();

                StreamExecutionEnvironment env = JobOutputOptions.environment(p, jobConfig.checkpointIntervalMillis());
                objectReuse = env.getConfig().isObjectReuseEnabled();
                Path online = run.resolve("out/online/" + SpamFeatureSet.ONLINE_TABLE + ".sqlite");
                SpamOutputs outputs = new SpamOutputs(run.resolve("out/datasets"), "sqlite:" + online, null, null);
                SourceOptions source = SourceOptions.kafka(kafka.bootstrapServers(), TOPIC, "eventstream-bench", true);
                Map<String, Path> datasets = outputs.attach(SpamTopology.define(
                        source.create(env, SpamTopology.watermarks(jobConfig)), jobConfig, hashKey), jobConfig);

                System.gc();
                loadBefore = Machine.loadAverage();
                ResourceMeter meter = ResourceMeter.start();
                result = env.execute("eventstream bench spam");
                usage = meter.stop();
                for (Map.Entry<String, Path> dataset : datasets.entrySet()) {
                    rows.put(dataset.getKey(), DatasetStats.rowCount(dataset.getValue()));
                    files.put(dataset.getKey(), partFiles(dataset.getValue()));
                }
                onlineRows = countRows(online, SpamFeatureSet.ONLINE_TABLE);
            }

            log.printf(Locale.ROOT, "bench spam: job done in %.1f s; running the plain loop %d time(s) ...%n",
                    usage.wallSeconds(), loopRounds);
            log.flush();
            List<byte[]> records = readLines(eventsFile);
            SpamFeatureLoop loop = new SpamFeatureLoop(jobConfig, hashKey);
            SpamFeatureLoop.Pass best = null;
            for (int round = 0; round < loopRounds; round++) {
                SpamFeatureLoop.Pass pass = loop.run(records);
                if (best == null || pass.cpuNanos() < best.cpuNanos()) {
                    best = pass;
                }
            }
            // The state a checkpoint would hold after the last event (the bounded job itself ends with
            // every user expired, as end of input moves the watermark to the end of time).
            SpamFeatureLoop.StateSize state = loop.stateSize(best.states(), generated.latestEventMillis());
            double loadAfter = Machine.loadAverage();

            Map<String, Double> cpuByGroup = new LinkedHashMap<>();
            usage.cpuNanosByGroup().forEach((group, nanos) -> cpuByGroup.put(group, nanos / 1e9));
            double brokerCpu = usage.cpuNanosByGroup().get(ResourceMeter.EARLIER_THREADS) / 1e9;
            FlinkRun flink = new FlinkRun(p, objectReuse, usage.wallSeconds(), result.getNetRuntime() / 1e3,
                    usage.cpuSeconds(), count / usage.wallSeconds(), usage.cpuSeconds() / count * 1e6,
                    count / usage.cpuSeconds(), count / (usage.cpuSeconds() - brokerCpu), usage.peakHeapBytes(),
                    cpuByGroup, usage.gcMillis() / 1e3, usage.gcCount(), usage.jitMillis() / 1e3, rows, files, onlineRows);
            Loop loopFigures = new Loop(loopRounds, best.wallNanos() / 1e9, best.cpuNanos() / 1e9, best.eventsPerCpuSecond(),
                    best.featureRows(), state.activeUsers(), state.bytesPerActiveUser());
            return new SpamBenchReport(Machine.current(loadBefore, loadAfter),
                    new Workload(count, generated.bytes(), seed, users, projects, DAYS),
                    new Produce(k, generateSeconds, produceSeconds, count / produceSeconds),
                    flink, loopFigures, flink.eventsPerCpuSecond() / loopFigures.eventsPerCpuSecond());
        }

        /** What {@link #generate} wrote: events, the latest event time among them, their bytes. */
        private record Generated(long events, long latestEventMillis, long bytes) {
        }

        /** Writes up to {@link #events} events as JSON lines. */
        private Generated generate(GeneratorConfig generatorConfig, Path file) throws IOException {
            CloudEventJson json = new CloudEventJson();
            SyntheticEventGenerator generator = new SyntheticEventGenerator(generatorConfig);
            long count = 0;
            long latest = Long.MIN_VALUE;
            long bytes = 0;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                while (count < events && generator.hasNext()) {
                    CloudEvent event = generator.next();
                    byte[] line = json.write(event);
                    out.write(line);
                    out.write('\n');
                    latest = Math.max(latest, event.timeMillis());
                    bytes += line.length;
                    count++;
                }
            }
            return new Generated(count, latest, bytes);
        }

        private static long produce(String bootstrap, Path file) throws IOException {
            long count = 0;
            try (KafkaEventWriter writer = new KafkaEventWriter(bootstrap, TOPIC, KafkaEventWriter.Mode.STRUCTURED);
                 BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    writer.writeJsonLine(line.getBytes(StandardCharsets.UTF_8));
                    count++;
                }
            }
            return count;
        }

        private static List<byte[]> readLines(Path file) throws IOException {
            List<byte[]> lines = new ArrayList<>();
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line.getBytes(StandardCharsets.UTF_8));
                }
            }
            return lines;
        }

        /** Committed part files: {@code *.parquet}, not hidden (in-progress files are). */
        private static long partFiles(Path versionDir) throws IOException {
            if (!Files.isDirectory(versionDir)) {
                return 0;
            }
            try (Stream<Path> paths = Files.walk(versionDir)) {
                return paths.map(path -> path.getFileName().toString())
                        .filter(name -> name.endsWith(".parquet") && !name.startsWith("."))
                        .count();
            }
        }

        private static long countRows(Path sqlite, String table) throws SQLException {
            if (!Files.exists(sqlite)) {
                return 0;
            }
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + sqlite);
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM \"" + table + "\"")) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }

        private static void deleteRecursively(Path dir) throws IOException {
            if (!Files.exists(dir)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }
}
