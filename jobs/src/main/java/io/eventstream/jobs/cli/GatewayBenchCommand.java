package io.eventstream.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.eventstream.connectors.kafka.LocalKafkaBroker;
import io.eventstream.gateway.Gateway;
import io.eventstream.gateway.GatewayConfig;
import io.eventstream.jobs.bench.BenchReport.Machine;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code eventstream bench gateway}: hooks per second and latency percentiles of the gateway, with a given
 * number of concurrent senders, against a real in-process Kafka broker (all in this JVM: senders, gateway,
 * broker, so the figures are for the whole machine). Every delivery is a distinct merge-request note with its
 * own idempotency key and is answered only after Kafka's {@code acks=all}.
 */
@Command(
        name = "gateway",
        mixinStandardHelpOptions = true,
        description =
                "Benchmarks the GitLab gateway: requests/s and p50/p99 latency at a given concurrency, local broker.",
        footer = {
            "",
            "Example:",
            "  eventstream bench gateway --requests 100000 --concurrency 64 --report target/bench-gateway.json"
        })
public final class GatewayBenchCommand implements Callable<Integer> {
    private static final String TOKEN = "bench-token";
    /** A merge-request note as GitLab sends it (Note Hook), with the ids varied per delivery. */
    private static final String NOTE = """
            {"object_kind":"note","event_type":"note",\
            "user":{"id":%1$d,"name":"Bench User","username":"bench%1$d","avatar_url":null,"email":"[REDACTED]"},\
            "project_id":%2$d,"project":{"id":%2$d,"name":"project","path_with_namespace":"group/project%2$d",\
            "web_url":"https://gitlab.example.com/group/project%2$d","visibility_level":20},\
            "object_attributes":{"id":%3$d,"note":"Looks good to me, one nit: rename the cache field. See https://example.com/x",\
            "noteable_type":"MergeRequest","author_id":%1$d,"created_at":"2024-03-01 10:%4$02d:00 UTC",\
            "updated_at":"2024-03-01 10:%4$02d:00 UTC","project_id":%2$d,"attachment":null,"line_code":null,\
            "commit_id":"","noteable_id":%5$d,"system":false,"st_diff":null,"action":"create",\
            "url":"https://gitlab.example.com/group/project%2$d/-/merge_requests/7#note_%3$d"},\
            "merge_request":{"id":%5$d,"iid":7,"title":"Add a cache","author_id":42,"source_branch":"cache",\
            "target_branch":"main","source_project_id":%2$d,"target_project_id":%2$d,"state":"opened",\
            "created_at":"2024-03-01 09:00:00 UTC","updated_at":"2024-03-01 10:00:00 UTC","merge_status":"can_be_merged",\
            "description":"Adds a cache in front of the lookups.","draft":false,"work_in_progress":false}}""";

    @Spec
    CommandSpec spec;

    @Option(names = "--requests", defaultValue = "50000", description = "Timed deliveries (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(
            names = "--warmup",
            defaultValue = "10000",
            description = "Untimed deliveries first, for the JIT (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--concurrency",
            defaultValue = "64",
            description = "Concurrent senders (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--partitions", defaultValue = "4", description = "Topic partitions (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
    Path report;

    @Override
    public Integer call() throws Exception {
        if (requests < 1 || concurrency < 1 || warmup < 0 || partitions < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--requests, --concurrency, --partitions must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path run = Files.createTempDirectory(
                Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath(), "bench-gateway-");
        try (LocalKafkaBroker broker = new LocalKafkaBroker(run).start()) {
            broker.createTopic("gitlab-events", partitions);
            broker.createTopic("gitlab-dead-letters", 1);
            GatewayConfig config = GatewayConfig.parse("""
                    listen: {host: 127.0.0.1, port: 0}
                    limits: {max-in-flight-requests: %d}
                    sources:
                      - name: bench
                        instance: https://gitlab.example.com
                        tokens: ["env:BENCH_TOKEN"]
                    """.formatted(Math.max(512, concurrency * 2)));
            Result result;
            try (Gateway gateway =
                    Gateway.start(config, broker.bootstrapServers(), new Properties(), Map.of("BENCH_TOKEN", TOKEN))) {
                URI uri = URI.create("http://127.0.0.1:" + gateway.port() + "/hooks/bench");
                HttpClient client = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build();
                out.printf("warming up: %,d deliveries ...%n", warmup);
                out.flush();
                send(client, uri, warmup, 0);
                double loadBefore = Machine.loadAverage();
                out.printf("timed: %,d deliveries, %d concurrent senders ...%n", requests, concurrency);
                out.flush();
                result = send(client, uri, requests, 10_000_000);
                result.loadBefore = loadBefore;
                result.loadAfter = Machine.loadAverage();
            }
            print(out, result);
            if (report != null) {
                writeJson(result);
                out.println("report written to " + report);
            }
        } finally {
            KafkaBenchRun.deleteRecursively(run);
        }
        out.flush();
        return 0;
    }

    /** Measured figures of the timed phase. */
    static final class Result {
        int requests;
        int concurrency;
        double wallSeconds;
        double requestsPerSecond;
        double p50Millis;
        double p90Millis;
        double p99Millis;
        double maxMillis;
        int bodyBytes;
        Map<Integer, Integer> statuses = new LinkedHashMap<>();
        double loadBefore;
        double loadAfter;
        /** Process CPU time of the timed phase (senders, gateway and broker): a figure other processes barely move. */
        double cpuSeconds;
        /** CPU seconds of the timed phase by thread group (thread names without their numbers), largest first. */
        Map<String, Double> cpuSecondsByThreadGroup = new LinkedHashMap<>();
    }

    /** CPU nanoseconds by thread id, with the thread's name, for a per-group difference. */
    private static Map<Long, Map.Entry<String, Long>> threadCpu() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Long, Map.Entry<String, Long>> cpu = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    cpu.put(info.getThreadId(), Map.entry(info.getThreadName(), nanos));
                }
            }
        }
        return cpu;
    }

    /** Which part a thread belongs to, from its name: the load generator, Jetty, Kafka client, broker, GC... */
    static String threadGroup(String name) {
        if (name.startsWith("bench-sender") || name.startsWith("HttpClient")) {
            return "senders (java.net.http client)";
        }
        if (name.startsWith("JettyServerThreadPool") || name.startsWith("qtp")) {
            return "gateway: Jetty request threads (parse, convert, answer)";
        }
        if (name.startsWith("kafka-producer-network-thread")) {
            return "gateway: Kafka producer I/O thread";
        }
        if (name.startsWith("gateway-") || name.startsWith("kafka-admin-client-thread")) {
            return "gateway: health probe, token reload";
        }
        return "broker and JVM ("
                + name.replaceAll("[-_ ]?\\d+", "").replaceAll("\\[.*", "").trim() + ")";
    }

    /** Sends {@code count} distinct deliveries from {@code concurrency} threads; every one must be answered 200. */
    private Result send(HttpClient client, URI uri, int count, int idOffset) throws Exception {
        long[] latencies = new long[count];
        int[] statuses = new int[count];
        AtomicInteger next = new AtomicInteger();
        long cpuStarted = processCpuNanos();
        Map<Long, Map.Entry<String, Long>> threadsBefore = threadCpu();
        AtomicInteger senderNumber = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(
                concurrency, r -> new Thread(r, "bench-sender-" + senderNumber.incrementAndGet()));
        long started = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                running.add(senders.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        int n = idOffset + i;
                        byte[] body = NOTE.formatted(
                                        1000 + n % 5000, 10 + n % 40, 1_000_000 + n, n % 60, 500 + n % 2000)
                                .getBytes(StandardCharsets.UTF_8);
                        HttpRequest request = HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json")
                                .header("X-Gitlab-Event", "Note Hook")
                                .header("X-Gitlab-Token", TOKEN)
                                .header("Idempotency-Key", UUID.randomUUID().toString())
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build();
                        long sent = System.nanoTime();
                        HttpResponse<Void> answer = client.send(request, HttpResponse.BodyHandlers.discarding());
                        latencies[i] = System.nanoTime() - sent;
                        statuses[i] = answer.statusCode();
                    }
                    return null;
                }));
            }
            for (Future<?> sender : running) {
                sender.get();
            }
        } finally {
            senders.shutdownNow();
        }
        Result result = new Result();
        result.cpuSeconds = (processCpuNanos() - cpuStarted) / 1e9;
        Map<String, Double> byGroup = new java.util.HashMap<>();
        threadCpu().forEach((id, after) -> {
            Map.Entry<String, Long> before = threadsBefore.get(id);
            long nanos = after.getValue() - (before == null ? 0 : before.getValue());
            byGroup.merge(threadGroup(after.getKey()), nanos / 1e9, Double::sum);
        });
        byGroup.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> result.cpuSecondsByThreadGroup.put(e.getKey(), e.getValue()));
        result.wallSeconds = (System.nanoTime() - started) / 1e9;
        result.requests = count;
        result.concurrency = concurrency;
        result.requestsPerSecond = count / result.wallSeconds;
        result.bodyBytes = NOTE.formatted(1000, 10, 1_000_000, 0, 500).getBytes(StandardCharsets.UTF_8).length;
        for (int status : statuses) {
            result.statuses.merge(status, 1, Integer::sum);
        }
        if (result.statuses.keySet().stream().anyMatch(s -> s != 200)) {
            throw new IllegalStateException("not every delivery was answered 200: " + result.statuses);
        }
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        result.p50Millis = percentile(sorted, 0.50);
        result.p90Millis = percentile(sorted, 0.90);
        result.p99Millis = percentile(sorted, 0.99);
        result.maxMillis = sorted[sorted.length - 1] / 1e6;
        return result;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double percentile(long[] sorted, double q) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    private void print(PrintWriter out, Result r) {
        Machine machine = Machine.current(r.loadBefore, r.loadAfter);
        out.println();
        out.printf(
                Locale.ROOT,
                "gateway: %,d deliveries (%d-byte Note Hook bodies), %d concurrent senders, acks=all%n",
                r.requests,
                r.bodyBytes,
                r.concurrency);
        out.printf(Locale.ROOT, "  throughput   %,.0f hooks/s (%.2f s wall)%n", r.requestsPerSecond, r.wallSeconds);
        out.printf(
                Locale.ROOT,
                "  latency      p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                r.p50Millis,
                r.p90Millis,
                r.p99Millis,
                r.maxMillis);
        out.printf(
                Locale.ROOT,
                "  cpu          %.1f CPU-s, %,.0f hooks per CPU-second (senders, gateway and broker together)%n",
                r.cpuSeconds,
                r.requests / r.cpuSeconds);
        out.printf(
                Locale.ROOT,
                "  cpu by part  %s%n",
                r.cpuSecondsByThreadGroup.entrySet().stream()
                        .limit(6)
                        .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue()))
                        .collect(java.util.stream.Collectors.joining("; ")));
        out.printf(Locale.ROOT, "  answers      %s%n", r.statuses);
        out.printf(
                Locale.ROOT,
                "  machine      %d cores (%s), load average %.1f before, %.1f after; senders, gateway and broker in one JVM%n",
                machine.cores(),
                machine.cpuModel(),
                r.loadBefore,
                r.loadAfter);
        out.printf(
                Locale.ROOT,
                "  goal         >= 5,000 hooks/s with p99 < 50 ms: %s%n",
                r.requestsPerSecond >= 5000 && r.p99Millis < 50 ? "met" : "not met");
    }

    private void writeJson(Result r) throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "gateway");
        json.put("requests", r.requests);
        json.put("concurrency", r.concurrency);
        json.put("bodyBytes", r.bodyBytes);
        json.put("wallSeconds", r.wallSeconds);
        json.put("requestsPerSecond", r.requestsPerSecond);
        json.put(
                "latencyMillis",
                Map.of("p50", r.p50Millis, "p90", r.p90Millis, "p99", r.p99Millis, "max", r.maxMillis));
        json.put("cpuSeconds", r.cpuSeconds);
        json.put("requestsPerCpuSecond", r.requests / r.cpuSeconds);
        json.put("cpuSecondsByThreadGroup", r.cpuSecondsByThreadGroup);
        json.put("statuses", r.statuses);
        json.put("machine", Machine.current(r.loadBefore, r.loadAfter));
        if (report.toAbsolutePath().getParent() != null) {
            Files.createDirectories(report.toAbsolutePath().getParent());
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), json);
    }
}
