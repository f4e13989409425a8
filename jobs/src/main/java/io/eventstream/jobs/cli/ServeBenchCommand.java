package io.eventstream.jobs.cli;

import io.eventstream.features.config.ConfigException;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.jobs.bench.BenchReport.Machine;
import io.eventstream.jobs.bench.ServeBench;
import io.eventstream.serving.FeatureServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eventstream bench serve}: latency and reads/s of the serving endpoint on SQLite and Redis. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a spam_user_state table of --users synthetic users to SQLite and to Redis, starts the serving "
                    + "endpoint on each, and measures the spam check (POST a note being posted for a random user): "
                    + "p50/p99 latency at a fixed --rate (open loop) and the reads/s of --clients back-to-back "
                    + "clients. Redis: --redis URL, else a redis-server started here on a free port."
        })
public final class ServeBenchCommand implements Callable<Integer> {

    @Option(names = "--users", defaultValue = "100000", description = "Users in the table (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(
            names = "--rate",
            defaultValue = "1000",
            description = "Open-loop requests per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seconds", defaultValue = "20", description = "Open-loop duration (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--clients", defaultValue = "8", description = "Closed-loop clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(
            names = "--closed-seconds",
            defaultValue = "10",
            description = "Closed-loop duration (default: ${DEFAULT-VALUE}).")
    int closedSeconds;

    @Option(
            names = "--stores",
            defaultValue = "sqlite,redis",
            split = ",",
            description = "Stores to measure: sqlite, redis (default: ${DEFAULT-VALUE}).")
    List<String> stores;

    @Option(
            names = "--redis",
            paramLabel = "URL",
            description = "An existing Redis (its database is filled with the table).")
    String redis;

    @Option(names = "--config", paramLabel = "FILE", description = "Spam job config (default: built-in defaults).")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SpamJobConfig jobConfig;
        try {
            jobConfig = config == null
                    ? SpamJobConfig.parse("hashing: {key: bench-serve-key-0123456789}\n")
                    : SpamJobConfig.load(config);
        } catch (ConfigException e) {
            err.println("bench serve: bad config: " + e.getMessage());
            return 2;
        }
        double loadBefore = Machine.loadAverage();
        ServeBench bench = new ServeBench(jobConfig, users, 7);
        long now = System.currentTimeMillis();
        List<ServeBench.Result> results = new ArrayList<>();
        Path dir = Files.createTempDirectory("bench-serve");
        Process redisProcess = null;
        try {
            for (String store : stores) {
                String uri;
                if (store.equals("sqlite")) {
                    uri = "sqlite:" + dir.resolve("online.sqlite");
                } else if (store.equals("redis")) {
                    if (redis == null) {
                        int port = freePort();
                        redisProcess = new ProcessBuilder(
                                        "redis-server",
                                        "--port",
                                        String.valueOf(port),
                                        "--bind",
                                        "127.0.0.1",
                                        "--save",
                                        "",
                                        "--appendonly",
                                        "no",
                                        "--dir",
                                        dir.toString())
                                .redirectErrorStream(true)
                                .redirectOutput(dir.resolve("redis.log").toFile())
                                .start();
                        waitForPort(port);
                        uri = "redis://127.0.0.1:" + port + "/0";
                    } else {
                        uri = redis;
                    }
                } else {
                    err.println("bench serve: unknown store " + store + " (sqlite, redis)");
                    return 2;
                }
                err.printf(Locale.ROOT, "bench serve: writing %,d users to %s ...%n", users, store);
                err.flush();
                long t0 = System.nanoTime();
                long rows = bench.load(uri, now);
                double loadSeconds = (System.nanoTime() - t0) / 1e9;
                try (FeatureServer server =
                        FeatureServer.builder().spam(uri, jobConfig).start("127.0.0.1", 0)) {
                    err.printf(Locale.ROOT, "bench serve: measuring %s ...%n", store);
                    err.flush();
                    results.add(bench.measure(
                            store,
                            server,
                            loadSeconds,
                            rows,
                            rate,
                            Duration.ofSeconds(seconds),
                            clients,
                            Duration.ofSeconds(closedSeconds)));
                }
            }
        } finally {
            if (redisProcess != null) {
                redisProcess.destroy();
                if (!redisProcess.waitFor(10, TimeUnit.SECONDS)) {
                    redisProcess.destroyForcibly();
                }
            }
            KafkaBenchRun.deleteRecursively(dir);
        }
        out.printf(
                Locale.ROOT,
                "bench serve: %,d users, %d cores, load average %.1f before, %.1f after%n",
                users,
                Runtime.getRuntime().availableProcessors(),
                loadBefore,
                Machine.loadAverage());
        ServeBench.print(results, out);
        out.flush();
        return 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void waitForPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }
}
