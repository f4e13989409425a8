package io.eventstream.jobs.bench;

import io.eventstream.connectors.online.OnlineStore;
import io.eventstream.connectors.online.OnlineStores;
import io.eventstream.connectors.spam.SpamOnlineReader;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.OrderedInput;
import io.eventstream.features.spam.SpamFeatureEngine;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.features.spam.SpamUserState;
import io.eventstream.serving.FeatureServer;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Latency and throughput of the serving endpoint ({@link FeatureServer}) on one store: a
 * {@code spam_user_state} table of synthetic users (each with a sign-up, memberships, a spam verdict
 * now and then, and a day of notes and issues), then
 * <ol>
 *   <li>an <b>open-loop</b> phase: requests sent at a fixed rate whatever the answers do, latency
 *       measured from each request's scheduled send time (no coordinated omission);</li>
 *   <li>a <b>closed-loop</b> phase: a few clients sending back to back, for the reads/s ceiling.</li>
 * </ol>
 * Every request is the spam check's: {@code POST /v1/spam/users/{id}} with a note being posted, for a
 * random user. Client and server share the JVM and the machine.
 */
public final class ServeBench {
    private static final long HOUR = 3_600_000L;
    private static final int OPEN_LOOP_WORKERS = 32;

    /** One phase's figures; latencies in milliseconds. */
    public record Phase(
            String name,
            long requests,
            long failures,
            double seconds,
            double readsPerSecond,
            double p50,
            double p99,
            double p999,
            double max) {}

    public record Result(String store, int users, double loadSeconds, long tableRows, Phase open, Phase closed) {}

    private final SpamJobConfig config;
    private final int users;
    private final long seed;

    public ServeBench(SpamJobConfig config, int users, long seed) {
        this.config = config;
        this.users = users;
        this.seed = seed;
    }

    /** Writes the users' state rows into {@code storeUri}; returns the rows written. */
    public long load(String storeUri, long nowMillis) {
        SpamFeatureSet featureSet = new SpamFeatureSet(config);
        SpamFeatureEngine engine = new SpamFeatureEngine(featureSet);
        SplittableRandom random = new SplittableRandom(seed);
        long written = 0;
        try (OnlineStore store = OnlineStores.open(storeUri, SpamOnlineReader.stateTable(featureSet))) {
            List<Object[]> batch = new ArrayList<>();
            for (long user = 1; user <= users; user++) {
                SpamUserState state = engine.newState();
                List<SpamInput> inputs = new ArrayList<>();
                long start = nowMillis - 30L * 24 * HOUR + random.nextLong(29L * 24 * HOUR);
                inputs.add(input("s" + user, start, user, SpamInput.USER_CREATED, null, random));
                for (int m = random.nextInt(3); m > 0; m--) {
                    inputs.add(input(
                            "m" + user + "-" + m,
                            start + random.nextLong(HOUR),
                            user,
                            SpamInput.MEMBER_ADDED,
                            (long) random.nextInt(500),
                            random));
                }
                for (int c = random.nextInt(12); c > 0; c--) {
                    int kind = random.nextInt(5) == 0 ? SpamInput.ISSUE_OPENED : SpamInput.NOTE_CREATED;
                    inputs.add(input(
                            "c" + user + "-" + c,
                            nowMillis - random.nextLong(24 * HOUR),
                            user,
                            kind,
                            (long) random.nextInt(500),
                            random));
                }
                if (random.nextInt(20) == 0) {
                    inputs.add(input(
                            "v" + user,
                            nowMillis - random.nextLong(24 * HOUR),
                            user,
                            SpamInput.SPAM_VERDICT,
                            null,
                            random));
                }
                inputs.sort(OrderedInput::compareOrder);
                for (SpamInput input : inputs) {
                    engine.apply(state, input);
                }
                batch.add(engine.stateRow(user, state));
                if (batch.size() == 1_000) {
                    store.upsert(batch);
                    written += batch.size();
                    batch.clear();
                }
            }
            store.upsert(batch);
            written += batch.size();
        }
        return written;
    }

    private static SpamInput input(String id, long time, long user, int kind, Long project, SplittableRandom random) {
        SpamInput input = new SpamInput();
        input.eventId = id;
        input.timeMillis = time;
        input.userId = user;
        input.kind = kind;
        input.projectId = project;
        if (kind == SpamInput.USER_CREATED) {
            input.emailDomainClass = random.nextInt(4) == 0 ? "disposable" : "webmail";
            input.emailDomainHash = Long.toHexString(random.nextLong() | Long.MIN_VALUE);
        } else if (kind == SpamInput.NOTE_CREATED || kind == SpamInput.ISSUE_OPENED) {
            input.noteableType = kind == SpamInput.NOTE_CREATED ? "Issue" : null;
            input.titleLength = kind == SpamInput.ISSUE_OPENED ? 20 : null;
            input.textLength = random.nextInt(400);
            input.linkCount = random.nextInt(3);
            input.textHash = random.nextInt(50); // repeated texts now and then
        }
        return input;
    }

    /** Runs both phases against a started server. */
    public Result measure(
            String store,
            FeatureServer server,
            double loadSeconds,
            long rows,
            int rate,
            Duration openDuration,
            int clients,
            Duration closedDuration)
            throws InterruptedException {
        java.util.concurrent.ExecutorService callbacks = Executors.newFixedThreadPool(4);
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(callbacks)
                .build();
        String base = "http://127.0.0.1:" + server.port() + "/v1/spam/users/";
        // Warm-up: JIT, connection pool, per-thread store connections.
        closed(http, base, clients, Duration.ofSeconds(3), "warm-up");
        Phase open = open(http, base, rate, openDuration);
        Phase closed = closed(http, base, clients, closedDuration, "closed loop, " + clients + " clients");
        callbacks.shutdown();
        return new Result(store, users, loadSeconds, rows, open, closed);
    }

    /**
     * Request {@code i} is due at {@code start + i / rate}; {@link #OPEN_LOOP_WORKERS} workers take the
     * next due request, wait for its time, send it and record the time from when it was due to the
     * answer, so a slow answer delays the measured latency of the requests queued behind it (no
     * coordinated omission) while connections stay bounded.
     */
    private Phase open(HttpClient http, String base, int rate, Duration duration) throws InterruptedException {
        long total = rate * duration.toSeconds();
        double periodNanos = 1e9 / rate;
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong failures = new AtomicLong();
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < OPEN_LOOP_WORKERS; w++) {
            SplittableRandom random = new SplittableRandom(seed + 100 + w);
            Thread worker = new Thread(
                    () -> {
                        for (long i; (i = next.getAndIncrement()) < total; ) {
                            long due = start + (long) (i * periodNanos);
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                java.util.concurrent.locks.LockSupport.parkNanos(wait);
                            }
                            read(http, base, random, failures);
                            latencies.add(System.nanoTime() - due);
                        }
                    },
                    "bench-open-" + w);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return phase("open loop, " + rate + "/s", latencies, failures.get(), seconds);
    }

    private Phase closed(HttpClient http, String base, int clients, Duration duration, String name)
            throws InterruptedException {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong failures = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            SplittableRandom random = new SplittableRandom(seed + 10 + c);
            Thread thread = new Thread(
                    () -> {
                        while (System.nanoTime() < end) {
                            long sentAt = System.nanoTime();
                            read(http, base, random, failures);
                            latencies.add(System.nanoTime() - sentAt);
                        }
                    },
                    "bench-client-" + c);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return phase(name, latencies, failures.get(), (System.nanoTime() - start) / 1e9);
    }

    /** One read of a random user; an answer other than 200, or none, counts as a failure. */
    private void read(HttpClient http, String base, SplittableRandom random, AtomicLong failures) {
        try {
            HttpResponse<String> response = http.send(request(base, random), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                failures.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.incrementAndGet();
        } catch (Exception e) {
            failures.incrementAndGet();
        }
    }

    private HttpRequest request(String base, SplittableRandom random) {
        long user = 1 + random.nextInt(users);
        String body = "{\"event\": {\"content_type\": \"note\", \"project_id\": " + random.nextInt(500)
                + ", \"noteable_type\": \"Issue\", \"body\": \"Looks good, see https://example.net/x"
                + random.nextInt(100)
                + " @alice\"}}";
        return HttpRequest.newBuilder(URI.create(base + user))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static Phase phase(String name, ConcurrentLinkedQueue<Long> nanos, long failures, double seconds) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Phase(
                name,
                sorted.length,
                failures,
                seconds,
                sorted.length / seconds,
                ms(sorted, 0.50),
                ms(sorted, 0.99),
                ms(sorted, 0.999),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    public static void print(List<Result> results, PrintWriter out) {
        out.printf(
                Locale.ROOT,
                "%-8s %-26s %9s %8s %9s %8s %8s %8s %8s%n",
                "store",
                "phase",
                "requests",
                "failed",
                "reads/s",
                "p50 ms",
                "p99 ms",
                "p99.9 ms",
                "max ms");
        for (Result r : results) {
            for (Phase p : Arrays.asList(r.open(), r.closed())) {
                out.printf(
                        Locale.ROOT,
                        "%-8s %-26s %,9d %8d %,9.0f %8.2f %8.2f %8.2f %8.1f%n",
                        r.store(),
                        p.name(),
                        p.requests(),
                        p.failures(),
                        p.readsPerSecond(),
                        p.p50(),
                        p.p99(),
                        p.p999(),
                        p.max());
            }
            out.printf(
                    Locale.ROOT,
                    "%-8s table: %,d users written in %.1f s%n",
                    r.store(),
                    r.tableRows(),
                    r.loadSeconds());
        }
    }
}
