package io.eventstream.connectors.online;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

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

    private OnlineStoreThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int keys = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        List<Object[]> data = OnlineTestTables.userRows(new Random(1), keys, Math.max(1, rows / keys));
        data = OnlineTestTables.replay(data, new Random(2)).subList(0, Math.min(rows, data.size()));
        System.out.printf("%d rows over %d keys, batches of %d, %d cores%n", data.size(), keys, batch,
                Runtime.getRuntime().availableProcessors());

        Path dir = Files.createTempDirectory("online-throughput");
        try (SqliteOnlineStore store = new SqliteOnlineStore(dir.resolve("t.db"), OnlineTestTables.USER_SPEC)) {
            measure("sqlite", store, data, batch);
        }
        try (RedisServer redis = RedisServer.start();
                OnlineStore store = OnlineStores.open(redis.uri(), OnlineTestTables.USER_SPEC)) {
            measure("redis (pipeline " + RedisOnlineStore.DEFAULT_PIPELINE_SIZE + ")", store, data, batch);
        }
    }

    private static void measure(String backend, OnlineStore store, List<Object[]> data, int batch) {
        // Warm up the JIT and the connection on a tenth of the rows, then time a full pass.
        write(store, data.subList(0, data.size() / 10), batch);
        long started = System.nanoTime();
        write(store, data, batch);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%-24s %,10d rows in %6.2f s = %,10.0f rows/s%n", backend, data.size(), seconds,
                data.size() / seconds);
    }

    private static void write(OnlineStore store, List<Object[]> data, int batch) {
        for (int from = 0; from < data.size(); from += batch) {
            store.upsert(data.subList(from, Math.min(data.size(), from + batch)));
        }
    }
}
