package io.eventstream.connectors.online;

import static io.eventstream.connectors.online.OnlineTestTables.USER_SPEC;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class OnlineTableSinkTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    Path dir;

    @Test
    void parallelSinksIntoBothBackendsEndInTheNewestRowPerKey() throws Exception {
        Random random = new Random(17);
        List<Object[]> rows = OnlineTestTables.userRows(random, 500, 6);
        Map<List<Object>, Map<String, Object>> expected = OnlineTestTables.newestPerKey(USER_SPEC, rows);
        List<Row> replay = new ArrayList<>();
        for (Object[] row : OnlineTestTables.replay(rows, random)) {
            replay.add(Row.of(row));
        }
        String sqlite = "sqlite:" + dir.resolve("online.db");
        try (RedisServer redis = RedisServer.start()) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            // Serialization guard: any Kryo fallback for the rows fails the job.
            env.configure(new Configuration().set(PipelineOptions.GENERIC_TYPES, false));
            // Round-robin: rows of one key reach both subtasks in arbitrary interleavings.
            DataStream<Row> stream =
                    env.fromData(replay, OnlineTableSink.rowTypeInfo(USER_SPEC)).rebalance();
            DataStreamSink<Row> toSqlite = OnlineTableSink.addTo(stream, USER_SPEC, sqlite, 64, Duration.ofMillis(50));
            OnlineTableSink.addTo(stream, USER_SPEC, redis.uri(), 64, Duration.ofMillis(50))
                    .uid("online-user_features-redis");
            env.execute("online sink test");

            assertThat(toSqlite.getTransformation().getUid()).isEqualTo("online-user_features");
            assertThat(toSqlite.getTransformation().getName()).isEqualTo("online table user_features (sqlite)");
            try (OnlineTableReader reader = OnlineTableReader.open(sqlite, USER_SPEC)) {
                assertThat(reader.scan()).isEqualTo(expected);
            }
            try (OnlineTableReader reader = OnlineTableReader.open(redis.uri(), USER_SPEC)) {
                assertThat(reader.scan()).isEqualTo(expected);
            }
        }
    }

    @Test
    void bufferedRowsReachTheStoreWithinMaxDelayWithoutACheckpoint() throws Exception {
        String sqlite = "sqlite:" + dir.resolve("fresh.db");
        int count = 20;
        List<Integer> input = new ArrayList<>();
        for (int i = 0; i <= count; i++) {
            input.add(i);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataStream<Row> rows = env.fromData(input)
                .flatMap(new EmitThenAwaitVisible(count, sqlite))
                .returns(OnlineTableSink.rowTypeInfo(USER_SPEC));
        // Far more keys per batch than rows: only the max-delay timer can write them.
        OnlineTableSink.addTo(rows, USER_SPEC, sqlite, 10_000, Duration.ofMillis(200))
                .disableChaining();
        env.execute("online sink freshness test");

        try (OnlineTableReader reader = OnlineTableReader.open(sqlite, USER_SPEC)) {
            assertThat(reader.scan()).hasSize(count);
        }
    }

    /**
     * Emits one row per number below {@code count}; on {@code count} it blocks (input not yet
     * ended, no checkpoint) until a reader sees every row, and fails after 30 s.
     */
    private static final class EmitThenAwaitVisible implements FlatMapFunction<Integer, Row> {
        private final int count;
        private final String storeUri;

        EmitThenAwaitVisible(int count, String storeUri) {
            this.count = count;
            this.storeUri = storeUri;
        }

        @Override
        public void flatMap(Integer i, Collector<Row> out) throws Exception {
            if (i < count) {
                out.collect(Row.of((long) i, 1000L + i, i, null, null, null, null, null));
                return;
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                if (visibleRows() == count) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("rows did not reach the store within 30 s although maxDelay is 200 ms");
        }

        private int visibleRows() {
            try (OnlineTableReader reader = OnlineTableReader.open(storeUri, USER_SPEC)) {
                return reader.scan().size();
            } catch (OnlineStoreException fileNotCreatedYet) {
                return -1;
            }
        }
    }
}
