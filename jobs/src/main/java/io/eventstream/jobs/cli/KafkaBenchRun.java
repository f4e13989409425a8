package io.eventstream.jobs.cli;

import io.eventstream.connectors.kafka.KafkaEventWriter;
import io.eventstream.connectors.parquet.DatasetStats;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.generator.SyntheticEventGenerator;
import io.eventstream.jobs.bench.BenchReport.FlinkRun;
import io.eventstream.jobs.bench.BenchReport.Machine;
import io.eventstream.jobs.bench.BenchReport.Produce;
import io.eventstream.jobs.bench.ResourceMeter;
import io.eventstream.jobs.common.JobEnvironment;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What every {@code eventstream bench <job>} does around its job: generate events to a JSON-lines
 * file (not timed), start an in-process Kafka broker (or use {@code --kafka}: {@link BenchKafka}), produce
 * the file to a topic (not timed), run the job's production wiring from the bounded Kafka source on an
 * embedded MiniCluster under a
 * {@link ResourceMeter} (timed), and count what it committed (Parquet rows and files, SQLite rows).
 * The job supplies only its wiring ({@link JobWiring}).
 */
final class KafkaBenchRun {
    static final String TOPIC = "bench-events";

    private KafkaBenchRun() {}

    /** What {@link #generate} wrote: events, the first and latest event time among them, their bytes. */
    record Generated(long events, long firstEventMillis, long latestEventMillis, long bytes) {}

    /** A job's production topology and outputs, attached to the environment over the given source. */
    interface JobWiring {
        /**
         * Attaches the job, writing its datasets under {@code datasetRoot} and its online tables to the
         * SQLite file {@code online}; returns the version directory of each dataset by dataset name.
         */
        Map<String, org.apache.flink.core.fs.Path> attach(
                StreamExecutionEnvironment env, SourceOptions source, String datasetRoot, Path online) throws Exception;
    }

    /**
     * The measured runs: the counted Flink figures ({@code rounds} 1: the only round's; more: the
     * later round with the least CPU), the first round's when it is not the counted one (else null),
     * producing, the load average before the first round.
     */
    record Measured(FlinkRun flink, int rounds, FlinkRun coldRound, Produce produce, double loadAverageBefore) {}

    /**
     * Writes up to {@code maxEvents} events of the generator as JSON lines; {@code onEvent} sees each
     * one (e.g. to count the hot project's merge requests).
     */
    static Generated generate(
            SyntheticEventGenerator generator,
            long maxEvents,
            Path file,
            java.util.function.Consumer<CloudEvent> onEvent)
            throws IOException {
        CloudEventJson json = new CloudEventJson();
        long count = 0;
        long first = Long.MAX_VALUE;
        long latest = Long.MIN_VALUE;
        long bytes = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            while (count < maxEvents && generator.hasNext()) {
                CloudEvent event = generator.next();
                byte[] line = json.write(event);
                out.write(line);
                out.write('\n');
                first = Math.min(first, event.timeMillis());
                latest = Math.max(latest, event.timeMillis());
                bytes += line.length;
                count++;
                onEvent.accept(event);
            }
        }
        return new Generated(count, first, latest, bytes);
    }

    /**
     * Produces the events file to a fresh topic of {@code partitions} on the bench's broker (in-process in
     * {@code run}, or {@code --kafka}), then runs the job on it with parallelism {@code p}, timed and
     * metered, {@code rounds} times in this JVM, each round from the start of the topic into outputs of
     * its own ({@link #roundRun}). Every round must commit as many rows to each dataset and online table as
     * the first (counts, not contents: the tests compare contents).
     *
     * <p>Why rounds: the first run of a job in a fresh JVM pays for compiling Flink, Kafka, Parquet
     * and the job (tens of CPU seconds on two cores, a third of a short run), which a long-running
     * job pays once. The plain loop is counted by its best round for the same reason, so the
     * steady-state comparison is the later rounds'; the first is reported beside it.
     *
     * @param out  {@code --out}: the root of the datasets and checkpoints, or null for the run directory
     * @param stateBackend  the job's keyed state backend ({@link JobEnvironment#useStateBackend}; null: Flink's default)
     * @param onlineDatabase  the SQLite file of the job's online tables, named without {@code .sqlite}
     * @param onlineTables  SQLite online tables to count afterwards
     */
    static Measured run(
            Path run,
            Path eventsFile,
            String job,
            int p,
            int partitions,
            int rounds,
            long checkpointIntervalMillis,
            JobEnvironment.StateBackend stateBackend,
            String out,
            String onlineDatabase,
            List<String> onlineTables,
            JobWiring wiring,
            double generateSeconds,
            BenchKafka broker,
            PrintWriter log)
            throws Exception {
        try (BenchKafka.Session kafka = broker.open(run, TOPIC, partitions, Map.of())) {
            long started = System.nanoTime();
            long produced = produce(kafka, eventsFile);
            double produceSeconds = (System.nanoTime() - started) / 1e9;
            log.printf(
                    Locale.ROOT,
                    "bench %s: produced %,d events to %d partitions in %.1f s (%,.0f events/s); running the job ...%n",
                    job,
                    produced,
                    partitions,
                    produceSeconds,
                    produced / produceSeconds);
            log.flush();

            double loadBefore = Machine.loadAverage();
            List<FlinkRun> runs = new ArrayList<>();
            BenchCluster cluster = null;
            try {
                for (int round = 1; round <= rounds; round++) {
                    Path roundRun = roundRun(run, round);
                    // Checkpoints to files, as a deployment has them (a hot project's state outgrows the
                    // JobManager-memory default).
                    StreamExecutionEnvironment env = JobEnvironment.checkpointingTo(
                            p, checkpointIntervalMillis, checkpointsBeside(out, roundRun));
                    JobEnvironment.useStateBackend(env, stateBackend);
                    Path online = roundRun.resolve("out/online/" + onlineDatabase + ".sqlite");
                    Map<String, org.apache.flink.core.fs.Path> datasets = wiring.attach(
                            env, kafka.source("eventstream-bench", true), datasetRoot(out, roundRun), online);
                    if (cluster == null) {
                        cluster = BenchCluster.start(env, p);
                    }
                    FlinkRun flink = measure(env, cluster, job, p, produced, datasets, online, onlineTables);
                    // The job's own figures, before the plain loop: they stand even if the loop, which keeps every
                    // key's state in memory, does not fit a heap set for the job (a RocksDB run's -Xmx1g).
                    log.printf(
                            Locale.ROOT,
                            "bench %s: job round %d of %d done in %.1f s, %.1f CPU s, peak heap %,d MiB%n",
                            job,
                            round,
                            rounds,
                            flink.wallSeconds(),
                            flink.cpuSeconds(),
                            flink.peakHeapBytes() >> 20);
                    log.flush();
                    if (!runs.isEmpty() && !sameOutput(runs.get(0), flink)) {
                        throw new IllegalStateException(String.format(
                                Locale.ROOT,
                                "job round %d committed other row counts than round 1: %s, online %d against %s, online %d",
                                round,
                                flink.rowsByDataset(),
                                flink.onlineRows(),
                                runs.get(0).rowsByDataset(),
                                runs.get(0).onlineRows()));
                    }
                    runs.add(flink);
                }
            } finally {
                if (cluster != null) {
                    cluster.close();
                }
            }
            FlinkRun counted = runs.size() == 1
                    ? runs.get(0)
                    : runs.subList(1, runs.size()).stream()
                            .min(Comparator.comparingDouble(FlinkRun::cpuSeconds))
                            .orElseThrow();
            return new Measured(
                    counted,
                    rounds,
                    rounds == 1 ? null : runs.get(0),
                    new Produce(partitions, generateSeconds, produceSeconds, produced / produceSeconds),
                    loadBefore);
        }
    }

    /** Runs the attached job to its end on the cluster under a {@link ResourceMeter}; counts what it committed. */
    private static FlinkRun measure(
            StreamExecutionEnvironment env,
            BenchCluster cluster,
            String job,
            int p,
            long produced,
            Map<String, org.apache.flink.core.fs.Path> datasets,
            Path online,
            List<String> onlineTables)
            throws Exception {
        boolean objectReuse = env.getConfig().isObjectReuseEnabled();
        System.gc();
        ResourceMeter meter = ResourceMeter.start(cluster.threadsBefore());
        JobExecutionResult result = cluster.execute(env, "eventstream bench " + job);
        ResourceMeter.Usage usage = meter.stop();

        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, Long> files = new LinkedHashMap<>();
        for (Map.Entry<String, org.apache.flink.core.fs.Path> dataset : datasets.entrySet()) {
            rows.put(dataset.getKey(), DatasetStats.rowCount(dataset.getValue()));
            files.put(dataset.getKey(), DatasetStats.partFileCount(dataset.getValue()));
        }
        long onlineRows = 0;
        for (String table : onlineTables) {
            onlineRows += countRows(online, table);
        }
        Map<String, Double> cpuByGroup = new LinkedHashMap<>();
        usage.cpuNanosByGroup().forEach((group, nanos) -> cpuByGroup.put(group, nanos / 1e9));
        double brokerCpu = usage.cpuNanosByGroup().get(ResourceMeter.EARLIER_THREADS) / 1e9;
        double jitCpu = usage.cpuNanosByGroup().get(ResourceMeter.JIT_COMPILER_THREADS) / 1e9;
        return new FlinkRun(
                p,
                objectReuse,
                env.getConfiguration().get(StateBackendOptions.STATE_BACKEND),
                usage.wallSeconds(),
                result.getNetRuntime() / 1e3,
                usage.cpuSeconds(),
                produced / usage.wallSeconds(),
                usage.cpuSeconds() / produced * 1e6,
                produced / usage.cpuSeconds(),
                produced / (usage.cpuSeconds() - brokerCpu),
                produced / (usage.cpuSeconds() - jitCpu),
                usage.peakHeapBytes(),
                cpuByGroup,
                usage.gcMillis() / 1e3,
                usage.gcCount(),
                usage.jitMillis() / 1e3,
                rows,
                files,
                onlineRows);
    }

    private static boolean sameOutput(FlinkRun a, FlinkRun b) {
        return a.rowsByDataset().equals(b.rowsByDataset()) && a.onlineRows() == b.onlineRows();
    }

    /**
     * Where round {@code round} of the job writes, in place of the run directory: the run directory
     * itself for round 1, {@code <run>/<run name>-round-<k>} for later ones (so that under
     * {@code --out ROOT} they are {@code ROOT/<run name>-round-<k>}, beside the first).
     */
    static Path roundRun(Path run, int round) {
        return round == 1 ? run : run.resolve(run.getFileName() + "-round-" + round);
    }

    /**
     * Where a bench run's datasets go: {@code <run>/out/datasets}, or with {@code --out ROOT}
     * {@code ROOT/<run directory name>}.
     */
    static String datasetRoot(String out, Path run) {
        return out == null
                ? run.resolve("out/datasets").toString()
                : out.replaceAll("/+$", "") + "/" + run.getFileName();
    }

    /**
     * Where a bench run's checkpoints go: beside its datasets, on the same filesystem, as a cluster
     * keeps them: {@code <run>/checkpoints}, or with {@code --out ROOT} {@code ROOT/<run directory
     * name>-checkpoints} (on S3 when the datasets are, not on the local disk).
     */
    static String checkpointsBeside(String out, Path run) {
        return out == null
                ? run.resolve("checkpoints").toAbsolutePath().toUri().toString()
                : out.replaceAll("/+$", "") + "/" + run.getFileName() + "-checkpoints";
    }

    private static long produce(BenchKafka.Session kafka, Path file) throws IOException {
        long count = 0;
        try (KafkaEventWriter writer = new KafkaEventWriter(
                        kafka.bootstrap(), kafka.topic(), KafkaEventWriter.Mode.STRUCTURED, kafka.clientProperties());
                BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                writer.writeJsonLine(line.getBytes(StandardCharsets.UTF_8));
                count++;
            }
        }
        return count;
    }

    /** The file's lines as bytes, for the plain loops (which start from records in memory). */
    static List<byte[]> readLines(Path file) throws IOException {
        List<byte[]> lines = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return lines;
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

    static void deleteRecursively(Path dir) throws IOException {
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
