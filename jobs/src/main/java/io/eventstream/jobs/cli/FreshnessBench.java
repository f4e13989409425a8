package io.eventstream.jobs.cli;

import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.jobs.bench.BenchReport.Machine;
import io.eventstream.jobs.bench.DelayStats;
import io.eventstream.jobs.bench.FreshnessBenchReport;
import io.eventstream.jobs.common.JobEnvironment;
import io.eventstream.jobs.common.JobSinks;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code eventstream bench freshness}: how long after an event is appended to Kafka its online row
 * can be read, with both jobs running.
 *
 * <p>An in-process Kafka broker (or the {@code --kafka} one, whose clock then must agree with this
 * machine's) holds a topic whose records carry the broker's append time
 * ({@code message.timestamp.type=LogAppendTime}). Both jobs read it unbounded, each on its own
 * embedded MiniCluster, writing their datasets and SQLite online tables as in production. A
 * producer appends events at a steady rate: each one an issue opened by a user of its own, with
 * the wall-clock time as event time, so each event makes exactly one new row in the spam job's
 * online table. A poller reads the rows added to that table (by SQLite rowid, every few
 * milliseconds) and notes when each became readable. Delay = readable − append time, over the
 * events of the measured phase; the warm-up before it (JIT, first checkpoint) is not measured, and
 * after it the producer keeps going until every measured row has been seen, since the watermark only
 * passes the last events once newer ones arrive.
 *
 * <p>The floor of the delay is the watermark bound plus the allowed lateness: the keyed feature
 * functions apply an event once the watermark has passed its time plus the allowed lateness
 * ({@code EventTimeOrderedFunction}). With the defaults (30 s and 5 min) that is minutes; a
 * deployment that wants fresh online features trades allowed lateness for freshness.
 */
final class FreshnessBench {
    static final String TOPIC = "bench-freshness";
    /** Users of the probe events: one per event, far above the generator's ids. */
    static final long USER_BASE = 10_000_000L;

    private static final long POLL_MILLIS = 5;
    static final int SLICE_SECONDS = 10;

    /** What to run. */
    record Settings(
            double eventsPerSecond,
            double warmupSeconds,
            double measuredSeconds,
            double drainTimeoutSeconds,
            int parallelism,
            int partitions,
            FeatureJob.Spam spam,
            FeatureJob.Reviewers reviewers) {
        long warmupEvents() {
            return Math.round(eventsPerSecond * warmupSeconds);
        }

        long measuredEvents() {
            return Math.max(1, Math.round(eventsPerSecond * measuredSeconds));
        }

        int capacity() {
            return (int) (warmupEvents() + measuredEvents() + Math.round(eventsPerSecond * drainTimeoutSeconds) + 1);
        }
    }

    private FreshnessBench() {}

    static FreshnessBenchReport run(Path run, Settings settings, BenchKafka broker, PrintWriter log) throws Exception {
        Path spamOnline = run.resolve("online").resolve("spam_user_features.sqlite");
        Files.createDirectories(spamOnline.getParent());
        // The records carry the broker's append time, the start of the measured delay.
        try (BenchKafka.Session kafka =
                broker.open(run, TOPIC, settings.partitions(), Map.of("message.timestamp.type", "LogAppendTime"))) {
            SourceOptions source = kafka.source("eventstream-bench-freshness", false);
            JobClient spam = start(settings.spam(), run, settings, source, "sqlite:" + spamOnline);
            JobClient reviewers = start(
                    settings.reviewers(),
                    run,
                    settings,
                    source,
                    "sqlite:" + run.resolve("online").resolve("reviewer_features.sqlite"));
            try {
                awaitRunning(spam, "spam");
                awaitRunning(reviewers, "reviewers");
                try (RowPoller poller = RowPoller.start(spamOnline, SpamFeatureSet.ONLINE_TABLE, settings)) {
                    poller.awaitTable();
                    log.printf(
                            Locale.ROOT,
                            "bench freshness: both jobs running; producing %,.0f events/s (%.0f s warm-up, %.0f s measured) ...%n",
                            settings.eventsPerSecond(),
                            settings.warmupSeconds(),
                            settings.measuredSeconds());
                    log.flush();
                    double loadBefore = Machine.loadAverage();
                    Produced produced = produce(kafka, settings, poller, log);
                    poller.stop();
                    return report(settings, produced, poller, Machine.current(loadBefore, Machine.loadAverage()));
                }
            } finally {
                cancel(spam);
                cancel(reviewers);
            }
        }
    }

    /** Starts the job on an embedded MiniCluster of its own, its checkpoints in the run directory. */
    private static JobClient start(FeatureJob job, Path run, Settings settings, SourceOptions source, String online)
            throws Exception {
        StreamExecutionEnvironment env = JobEnvironment.create(
                settings.parallelism(),
                job.settings().checkpointIntervalMillis(),
                run.resolve("checkpoints-" + job.name()));
        job.defineWorkflow(env, source, run.resolve("datasets").toAbsolutePath().toString(), online);
        return env.executeAsync("eventstream " + job.title() + " (bench freshness)");
    }

    private static void awaitRunning(JobClient job, String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            JobStatus status = job.getJobStatus().get();
            if (status == JobStatus.RUNNING) {
                return;
            }
            if (status.isTerminalState() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the " + name + " job did not start: " + status);
            }
            Thread.sleep(50);
        }
    }

    private static void cancel(JobClient job) {
        try {
            if (!job.getJobStatus().get().isTerminalState()) {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
            job.getJobExecutionResult().get(1, TimeUnit.MINUTES);
        } catch (Exception expected) {
            // A cancelled job's result is an exception; anything else was already reported by the run.
        }
    }

    /** What the producer did: append times by event index, the measured phase's first and last send. */
    record Produced(
            long total, AtomicLongArray appendMillis, long measuredStartNanos, long measuredEndNanos, long failures) {}

    private static Produced produce(BenchKafka.Session kafka, Settings settings, RowPoller poller, PrintWriter log)
            throws Exception {
        Properties properties = kafka.clientProperties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        // Freshness over batching: a record waits at most 2 ms for others in the producer.
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        int capacity = settings.capacity();
        AtomicLongArray appendMillis = new AtomicLongArray(capacity);
        AtomicLong failures = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        long warmupEnd = settings.warmupEvents();
        long measuredEnd = warmupEnd + settings.measuredEvents();
        long measuredStart = 0;
        long measuredStop = 0;
        long sent = 0;
        long drainDeadline = Long.MAX_VALUE;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            long started = System.nanoTime();
            long nextProgress = started + TimeUnit.SECONDS.toNanos(10);
            while (sent < capacity) {
                long now = System.nanoTime();
                if (sent >= measuredEnd) {
                    if (drainDeadline == Long.MAX_VALUE) {
                        measuredStop = now;
                        drainDeadline = now + (long) (settings.drainTimeoutSeconds() * 1e9);
                    }
                    if (poller.measuredSeen() >= settings.measuredEvents() || now > drainDeadline) {
                        break;
                    }
                }
                long due = Math.min(capacity, (long) ((now - started) / 1e9 * settings.eventsPerSecond()) + 1);
                while (sent < due) {
                    if (sent == warmupEnd) {
                        measuredStart = System.nanoTime();
                    }
                    int index = (int) sent;
                    long user = USER_BASE + index;
                    byte[] key = Long.toString(user).getBytes(StandardCharsets.UTF_8);
                    producer.send(
                            new ProducerRecord<>(kafka.topic(), key, event(index, System.currentTimeMillis())),
                            (metadata, error) -> {
                                if (error == null) {
                                    appendMillis.set(index, metadata.timestamp());
                                } else {
                                    failures.incrementAndGet();
                                    firstFailure.compareAndSet(null, error);
                                }
                            });
                    sent++;
                }
                if (now > nextProgress) {
                    log.printf(
                            Locale.ROOT,
                            "bench freshness: %,d events produced, %,d of the measured rows seen%n",
                            sent,
                            poller.measuredSeen());
                    log.flush();
                    nextProgress = now + TimeUnit.SECONDS.toNanos(10);
                }
                Thread.sleep(1);
            }
            producer.flush();
        }
        if (firstFailure.get() != null) {
            throw new IllegalStateException(
                    failures.get() + " events could not be appended to Kafka", firstFailure.get());
        }
        return new Produced(
                sent,
                appendMillis,
                measuredStart,
                measuredStop == 0 ? System.nanoTime() : measuredStop,
                failures.get());
    }

    /** An issue opened by its own user at {@code timeMillis}: one new row in {@code spam_user_features}. */
    static byte[] event(int index, long timeMillis) {
        long user = USER_BASE + index;
        long project = 100 + index % 50;
        String time = Instant.ofEpochMilli(timeMillis).toString();
        return ("{\"specversion\":\"1.0\",\"id\":\"freshness-" + index + "\",\"source\":\"https://gitlab.example.com\","
                        + "\"type\":\"com.gitlab.issue.opened\",\"time\":\"" + time + "\",\"subject\":\"projects/"
                        + project
                        + "/issues/" + (index + 1) + "\",\"datacontenttype\":\"application/json\","
                        + "\"dataschema\":\"https://eventstream.io/schemas/com.gitlab.issue.opened.json\",\"recordedtime\":\""
                        + time + "\",\"partitionkey\":\"" + user + "\",\"data\":{\"project_id\":" + project
                        + ",\"issue_id\":"
                        + (index + 1) + ",\"iid\":" + (index + 1) + ",\"author_id\":" + user + ",\"actor_id\":" + user
                        + ",\"title\":\"Freshness probe\",\"description\":\"How fresh are the features?\",\"state\":\"opened\","
                        + "\"confidential\":false,\"work_item_type\":\"Issue\",\"assignee_ids\":[],\"labels\":[]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static FreshnessBenchReport report(
            Settings settings, Produced produced, RowPoller poller, Machine machine) {
        long first = settings.warmupEvents();
        long measured = Math.min(settings.measuredEvents(), produced.total() - first);
        long[] delays = new long[(int) measured];
        long[] appendedAt = new long[(int) measured];
        int seen = 0;
        for (long i = first; i < first + measured; i++) {
            long readable = poller.seenAt((int) i);
            long appended = produced.appendMillis().get((int) i);
            if (readable > 0 && appended > 0) {
                appendedAt[seen] = appended;
                delays[seen++] = Math.max(0, readable - appended);
            }
        }
        double measuredWall = (produced.measuredEndNanos() - produced.measuredStartNanos()) / 1e9;
        long bound = settings.spam().config().maxOutOfOrdernessMillis();
        long lateness = settings.spam().config().allowedLatenessMillis();
        return new FreshnessBenchReport(
                settings.eventsPerSecond(),
                measured / Math.max(1e-9, measuredWall),
                settings.partitions(),
                settings.parallelism(),
                bound,
                lateness,
                JobSinks.ONLINE_MAX_DELAY.toMillis(),
                settings.warmupSeconds(),
                settings.measuredSeconds(),
                produced.total(),
                measured,
                seen,
                DelayStats.of(Arrays.copyOf(delays, Math.max(1, seen))),
                slices(Arrays.copyOf(appendedAt, seen), Arrays.copyOf(delays, seen)),
                bound + lateness + 1000,
                machine);
    }

    /**
     * The delays by {@value #SLICE_SECONDS} s of append time from the first measured append: whether
     * the tail is spread over the run (checkpoints, GC) or grows (the jobs falling behind).
     */
    static List<FreshnessBenchReport.Slice> slices(long[] appendedAt, long[] delays) {
        if (appendedAt.length == 0) {
            return List.of();
        }
        long start = Arrays.stream(appendedAt).min().orElseThrow();
        TreeMap<Long, List<Long>> bySlice = new TreeMap<>();
        for (int i = 0; i < appendedAt.length; i++) {
            long slice = (appendedAt[i] - start) / (SLICE_SECONDS * 1000L);
            bySlice.computeIfAbsent(slice, k -> new ArrayList<>()).add(delays[i]);
        }
        List<FreshnessBenchReport.Slice> slices = new ArrayList<>();
        bySlice.forEach((slice, sliceDelays) -> slices.add(new FreshnessBenchReport.Slice(
                slice * SLICE_SECONDS,
                DelayStats.of(sliceDelays.stream().mapToLong(Long::longValue).toArray()))));
        return slices;
    }

    /**
     * Reads the rows added to an online table since its last look and notes when each probe user's
     * row was first readable (the probe users are all new, so every probe event adds a row). The
     * table's {@code user_id} primary key is SQLite's rowid, so rowids follow user ids, not insertion
     * order: a row of a lower user can be committed after a higher one (two partitions, and equal
     * event times ordered by id). Each look therefore reads from the lowest probe user not yet seen,
     * not from the highest rowid seen (which missed about 0.3 % of the rows at 5,000 events/s). Runs in its own thread with its own
     * connection; WAL mode lets it read while the sink writes.
     */
    static final class RowPoller implements AutoCloseable {
        private final Path database;
        private final String table;
        private final Settings settings;
        private final long[] seenAt;
        private final AtomicLong measuredSeen = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile boolean tableExists;
        private volatile Exception failure;

        private RowPoller(Path database, String table, Settings settings) {
            this.database = database;
            this.table = table;
            this.settings = settings;
            this.seenAt = new long[settings.capacity()];
            this.thread = new Thread(this::poll, "freshness-poller");
            this.thread.setDaemon(true);
        }

        static RowPoller start(Path database, String table, Settings settings) {
            RowPoller poller = new RowPoller(database, table, settings);
            poller.thread.start();
            return poller;
        }

        void awaitTable() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!tableExists) {
                if (failure != null) {
                    throw failure;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the online table " + table + " did not appear in " + database);
                }
                Thread.sleep(20);
            }
        }

        long measuredSeen() {
            return measuredSeen.get();
        }

        /** When the row of event {@code index} was first seen (epoch ms), 0 if never. Call after {@link #stop}. */
        long seenAt(int index) {
            return seenAt[index];
        }

        void stop() throws Exception {
            running = false;
            thread.join();
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void close() throws Exception {
            if (running) {
                stop();
            }
        }

        private void poll() {
            long first = settings.warmupEvents();
            long end = first + settings.measuredEvents();
            while (running && !Files.exists(database)) {
                sleep();
            }
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database)) {
                try (PreparedStatement exists =
                        connection.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
                    exists.setString(1, table);
                    while (running && !tableExists) {
                        try (ResultSet rows = exists.executeQuery()) {
                            tableExists = rows.next();
                        }
                        sleep();
                    }
                }
                int lowestUnseen = 0;
                try (PreparedStatement added = connection.prepareStatement(
                        "SELECT user_id FROM \"" + table + "\" WHERE user_id >= ? ORDER BY user_id")) {
                    while (running) {
                        added.setLong(1, USER_BASE + lowestUnseen);
                        try (ResultSet rows = added.executeQuery()) {
                            long now = System.currentTimeMillis();
                            while (rows.next()) {
                                long index = rows.getLong(1) - USER_BASE;
                                if (index >= 0 && index < seenAt.length && seenAt[(int) index] == 0) {
                                    seenAt[(int) index] = now;
                                    if (index >= first && index < end) {
                                        measuredSeen.incrementAndGet();
                                    }
                                }
                            }
                        }
                        while (lowestUnseen < seenAt.length && seenAt[lowestUnseen] != 0) {
                            lowestUnseen++;
                        }
                        sleep();
                    }
                }
            } catch (SQLException e) {
                failure = e;
            }
        }

        private static void sleep() {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
