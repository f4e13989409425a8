package io.eventstream.connectors.online;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import redis.clients.jedis.Jedis;

/**
 * Measures upsert throughput of both backends (not a test: prints figures, asserts nothing).
 * Writes {@code rows} generated user-feature rows over {@code keys} entities, in batches of
 * {@code batch}, into a fresh SQLite file and a fresh local redis-server.
 *
 * <pre>
 * mvn -o -q test-compile -pl connectors
 * java -cp "connectors/target/test-classes:connectors/target/classes:$(cat cp.txt)" \
 *   io.eventstream.connectors.online.OnlineStoreThroughput 200000 50000 1000
 * </pre>
 */
public final class OnlineStoreThroughput {

    private OnlineStoreThroughput() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int keys = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        List<Object[]> data = OnlineTestTables.userRows(new Random(1), keys, Math.max(1, rows / keys));
        data = OnlineTestTables.replay(data, new Random(2)).subList(0, Math.min(rows, data.size()));
        System.out.printf(
                "%d rows over %d keys, batches of %d, %d cores%n",
                data.size(), keys, batch, Runtime.getRuntime().availableProcessors());

        Path dir = Files.createTempDirectory("online-throughput");
        try (SqliteOnlineStore store = new SqliteOnlineStore(dir.resolve("t.db"), OnlineTestTables.USER_SPEC)) {
            measure("sqlite", store, data, batch, () -> 0.0);
        }
        try (RedisServer redis = RedisServer.start();
                Jedis info = redis.client();
                OnlineStore store = OnlineStores.open(redis.uri(), OnlineTestTables.USER_SPEC)) {
            measure(
                    "redis (pipeline " + RedisOnlineStore.DEFAULT_PIPELINE_SIZE + ")",
                    store,
                    data,
                    batch,
                    () -> serverCpuSeconds(info));
        }
    }

    /**
     * Wall time depends on what else the machine runs; CPU seconds (this thread's, plus the Redis
     * server's from INFO) say what a write costs.
     */
    private static void measure(
            String backend, OnlineStore store, List<Object[]> data, int batch, DoubleSupplier serverCpu) {
        // Warm up the JIT and the connection on a tenth of the rows, then time a full pass.
        write(store, data.subList(0, data.size() / 10), batch);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double serverBefore = serverCpu.getAsDouble();
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long started = System.nanoTime();
        write(store, data, batch);
        double seconds = (System.nanoTime() - started) / 1e9;
        double clientCpu = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e9;
        double server = serverCpu.getAsDouble() - serverBefore;
        System.out.printf(
                "%-22s %,9d rows in %6.2f s = %,9.0f rows/s; CPU: writer %.2f s + server %.2f s"
                        + " = %,9.0f rows per CPU second%n",
                backend,
                data.size(),
                seconds,
                data.size() / seconds,
                clientCpu,
                server,
                data.size() / (clientCpu + server));
    }

    private static double serverCpuSeconds(Jedis info) {
        double total = 0;
        for (String line : info.info("cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                total +=
                        Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return total;
    }

    private static void write(OnlineStore store, List<Object[]> data, int batch) {
        for (int from = 0; from < data.size(); from += batch) {
            store.upsert(data.subList(from, Math.min(data.size(), from + batch)));
        }
    }
}
