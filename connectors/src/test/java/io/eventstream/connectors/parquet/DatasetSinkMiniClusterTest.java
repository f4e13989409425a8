package io.eventstream.connectors.parquet;

import static io.eventstream.connectors.parquet.DatasetTestSupport.DAY;
import static io.eventstream.connectors.parquet.DatasetTestSupport.HOUR;
import static io.eventstream.connectors.parquet.DatasetTestSupport.SCHEMA;
import static io.eventstream.connectors.parquet.DatasetTestSupport.duckdb;
import static io.eventstream.connectors.parquet.DatasetTestSupport.files;
import static io.eventstream.connectors.parquet.DatasetTestSupport.hiddenParts;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink end to end on a MiniCluster: parallelism 2, checkpoints, a failure injected mid-stream,
 * then the output read back with DuckDB; and a second run that gets a new version.
 */
class DatasetSinkMiniClusterTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final int ROWS = 24_000;
    /** Six hours of event time over the input. */
    private static final long STEP = 6 * HOUR / ROWS;

    private static final String DEFINITION = "{\"features\":[\"text_length\"],\"windows\":[\"1h\"]}";

    @TempDir
    Path root;

    @Test
    void failureMidStreamGivesExactlyTheInputRowsWithCompletePartitionsAndVersioning() throws Exception {
        DatasetSink sink = DatasetSink.builder()
                .root(root)
                .schema(SCHEMA)
                .featureSet(DEFINITION, "fingerprint-1")
                .compression(Compression.SNAPPY)
                .build();
        assertThat(sink.versionDir()).isEqualTo(root.toAbsolutePath().resolve("test_rows/v1"));

        FailOnce.reset(ROWS / 2 / 3);
        StreamExecutionEnvironment env = environment(true);
        sink.addTo(env.fromSource(
                        new NumberSequenceSource(0, ROWS - 1),
                        WatermarkStrategy.<Long>forMonotonousTimestamps().withTimestampAssigner((i, ts) -> time(i)),
                        "sequence")
                .map(new FailOnce())
                .returns(DatasetRows.typeInfo(SCHEMA)));
        env.execute("dataset sink with failure");

        assertThat(FailOnce.FAILED.get()).as("the failure was injected").isTrue();
        Path v1 = sink.versionDir();
        assertExactRows(v1, 0, ROWS);
        assertThat(hiddenParts(root)).as("no hidden or in-progress file left").isEmpty();
        assertThat(successMarkers(v1)).isEqualTo(partitionsOf(0, ROWS));
        assertThat(DatasetStats.rowCount(v1))
                .as("rows counted from the footers")
                .isEqualTo(ROWS);

        // Same definition: same version. Changed definition: v2, written without checkpoints; v1 untouched.
        assertThat(DatasetSink.builder()
                        .root(root.toString())
                        .schema(SCHEMA)
                        .featureSet(DEFINITION, "fingerprint-1")
                        .build()
                        .versionDir())
                .isEqualTo(v1);
        Map<String, Long> v1Files = sizes(v1);
        DatasetSink changed = DatasetSink.builder()
                .root(root)
                .schema(SCHEMA)
                .featureSet("{\"features\":[\"text_length\"],\"windows\":[\"10m\"]}", "fingerprint-2")
                .build();
        assertThat(changed.version()).isEqualTo(2);
        StreamExecutionEnvironment batchLike = environment(false);
        changed.addTo(batchLike
                .fromSource(
                        new NumberSequenceSource(0, 999),
                        WatermarkStrategy.<Long>forMonotonousTimestamps().withTimestampAssigner((i, ts) -> time(i)),
                        "sequence")
                .map(i -> DatasetTestSupport.row(i, time(i)))
                .returns(DatasetRows.typeInfo(SCHEMA)));
        batchLike.execute("dataset sink, second version");

        assertThat(sizes(v1)).isEqualTo(v1Files);
        assertExactRows(changed.versionDir(), 0, 1000);
        assertThat(successMarkers(changed.versionDir())).isEqualTo(partitionsOf(0, 1000));
        assertThat(Files.readString(changed.versionDir().resolve(DatasetVersions.FEATURE_SET_FILE)))
                .contains("fingerprint-2")
                .contains("10m");
    }

    private static StreamExecutionEnvironment environment(boolean checkpointing) {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        conf.set(PipelineOptions.GENERIC_TYPES, false); // any Kryo fallback fails the job
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        if (checkpointing) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    private static long time(long i) {
        return DAY + 17 + i * STEP;
    }

    /** Every row of sequence numbers [from, to) exactly once, every value as written, partitions right. */
    private static void assertExactRows(Path versionDir, long from, long to) {
        List<List<String>> actual = duckdb("SELECT event_id, epoch_ms(event_time), user_id, project_id, text_length,"
                + " uppercase_ratio, has_code_block, content_type, strftime(dt, '%Y-%m-%d'), hour"
                + " FROM read_parquet('" + versionDir + "/*/*/*.parquet', hive_partitioning = true)"
                + " ORDER BY epoch_ms(event_time)");
        List<List<String>> expected = new ArrayList<>();
        for (long i = from; i < to; i++) {
            List<String> row = new ArrayList<>();
            for (Object value : DatasetTestSupport.values(i, time(i))) {
                row.add(String.valueOf(value));
            }
            Instant t = Instant.ofEpochMilli(time(i));
            row.add(t.atZone(ZoneOffset.UTC).toLocalDate().toString());
            row.add(String.format("%02d", t.atZone(ZoneOffset.UTC).getHour())); // DuckDB keeps "07" a string
            expected.add(row);
        }
        assertThat(actual).hasSize(expected.size());
        for (int r = 0; r < actual.size(); r++) {
            if (!actual.get(r).equals(expected.get(r))) { // a plain loop: one assertion per row is slow
                assertThat(actual.get(r)).as("row %d", r).isEqualTo(expected.get(r));
            }
        }
    }

    private static TreeSet<String> partitionsOf(long from, long to) {
        TreeSet<String> partitions = new TreeSet<>();
        for (long i = from; i < to; i++) {
            partitions.add(HourPartition.path(HourPartition.hourStart(time(i))));
        }
        return partitions;
    }

    private static TreeSet<String> successMarkers(Path versionDir) {
        return files(versionDir).stream()
                .filter(f -> f.endsWith("/" + DatasetFiles.SUCCESS))
                .map(f -> f.substring(0, f.length() - DatasetFiles.SUCCESS.length() - 1))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, Long> sizes(Path dir) {
        return files(dir).stream()
                .collect(Collectors.toMap(
                        Function.identity(), f -> dir.resolve(f).toFile().length(), (a, b) -> a, TreeMap::new));
    }

    /**
     * Maps sequence numbers to rows, slowly enough for checkpoints to happen, and throws once, in
     * one subtask, after a checkpoint completed and a third of its share went through.
     */
    static final class FailOnce extends RichMapFunction<Long, Row> implements CheckpointListener {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        private static volatile int failAfter;

        private transient int seen;
        private transient boolean checkpointCompleted;

        static void reset(int rowsBeforeFailure) {
            FAILED.set(false);
            failAfter = rowsBeforeFailure;
        }

        @Override
        public void open(OpenContext context) {
            seen = 0;
            checkpointCompleted = false;
        }

        @Override
        public Row map(Long i) throws Exception {
            if (++seen >= failAfter && checkpointCompleted && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after " + seen + " rows");
            }
            if (i % 40 == 0) {
                Thread.sleep(1);
            }
            return DatasetTestSupport.row(i, time(i));
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointCompleted = true;
        }
    }
}
