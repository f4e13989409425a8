package io.eventstream.connectors.parquet;

import static io.eventstream.connectors.parquet.DatasetTestSupport.DAY;
import static io.eventstream.connectors.parquet.DatasetTestSupport.SCHEMA;
import static io.eventstream.connectors.parquet.DatasetTestSupport.hiddenParts;
import static io.eventstream.connectors.parquet.DatasetTestSupport.visibleEventIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reruns into an existing dataset version never duplicate rows (the run manifest, see
 * {@link DatasetRuns}): a second run is refused with a message saying what to do, {@code replace}
 * rewrites the version with exactly the rerun's rows (also after a run that crashed mid-way), of
 * two concurrent runs exactly one may write, and a job resumed from a savepoint continues its run.
 */
class DatasetRerunTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final int ROWS = 3_000;
    /** Three hours of event time over the input. */
    private static final long STEP = 3 * DatasetTestSupport.HOUR / ROWS;

    @TempDir
    Path root;

    @Test
    void aSecondRunIsRefusedAndReplaceRewritesTheVersionWithExactlyItsRows() throws Exception {
        run(sink(false), environment(false, conf -> {}), ROWS, null);
        Path v1 = sink(false).versionDir();
        assertThat(visibleEventIds(v1)).hasSize(ROWS).doesNotHaveDuplicates();

        assertThatThrownBy(() -> run(sink(false), environment(false, conf -> {}), ROWS, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(v1.toUri().getPath().replaceAll("/$", ""))
                .hasMessageContaining("would duplicate them")
                .hasMessageContaining("--replace");
        assertThat(visibleEventIds(v1)).as("the refused run wrote nothing").hasSize(ROWS);

        run(sink(true), environment(false, conf -> {}), ROWS / 2, null);
        assertThat(visibleEventIds(v1)).as("replaced: the rerun's rows only").isEqualTo(ids(ROWS / 2));
        assertThat(Files.readString(v1.resolve(DatasetRuns.MANIFEST))).contains("\"replaced_earlier_run\":true");
    }

    @Test
    void aRunThatCrashedMidwayIsRefusedThenReplacedWithExactlyTheInputRows() throws Exception {
        CrashOnce.armed.set(true);
        StreamExecutionEnvironment crashing =
                environment(true, conf -> conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none"));
        assertThatThrownBy(() -> run(sink(false), crashing, ROWS, new CrashOnce()))
                .hasStackTraceContaining("injected crash");
        Path v1 = sink(false).versionDir();
        List<String> committed = visibleEventIds(v1);
        assertThat(committed)
                .as("the crashed run committed part of its rows")
                .isNotEmpty()
                .hasSizeLessThan(ROWS);

        assertThatThrownBy(() -> run(sink(false), environment(true, conf -> {}), ROWS, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("would duplicate them");

        run(sink(true), environment(true, conf -> {}), ROWS, null);
        assertThat(visibleEventIds(v1)).isEqualTo(ids(ROWS));
        assertThat(hiddenParts(v1))
                .as("the crashed run's unfinished files went with its partitions")
                .isEmpty();
    }

    @Test
    void ofTwoConcurrentRunsExactlyOneMayWrite() throws Exception {
        Path v1 = sink(false).versionDir();
        int runs = 4;
        CyclicBarrier start = new CyclicBarrier(runs);
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        try {
            List<Future<StreamExecutionEnvironment>> attempts = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                Callable<StreamExecutionEnvironment> attempt = () -> {
                    StreamExecutionEnvironment env = environment(false, conf -> {});
                    DatasetSink sink = sink(false);
                    start.await();
                    sink.addTo(rows(env, ROWS, null)); // claims the version, or is refused
                    return env;
                };
                attempts.add(pool.submit(attempt));
            }
            List<StreamExecutionEnvironment> admitted = new ArrayList<>();
            int refused = 0;
            for (Future<StreamExecutionEnvironment> attempt : attempts) {
                try {
                    admitted.add(attempt.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause())
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("would duplicate them");
                    refused++;
                }
            }
            assertThat(admitted).hasSize(1);
            assertThat(refused).isEqualTo(runs - 1);
            admitted.get(0).execute("the admitted run");
        } finally {
            pool.shutdownNow();
        }
        assertThat(visibleEventIds(v1)).isEqualTo(ids(ROWS));
    }

    @Test
    void aJobResumedFromASavepointContinuesItsRun() throws Exception {
        run(sink(false), environment(false, conf -> {}), ROWS, null);
        StreamExecutionEnvironment resumed = environment(
                true,
                conf -> conf.set(
                        StateRecoveryOptions.SAVEPOINT_PATH,
                        root.resolve("savepoint-1").toString()));
        // Only the wiring: it must not claim (and so not refuse) the version the savepoint's run owns.
        sink(false).addTo(rows(resumed, ROWS, null));
        assertThat(visibleEventIds(sink(false).versionDir())).hasSize(ROWS);
    }

    private DatasetSink sink(boolean replace) {
        return DatasetSink.builder()
                .root(root)
                .schema(SCHEMA)
                .featureSet("{\"rerun\":1}", "fp-rerun")
                .replace(replace)
                .build();
    }

    private static void run(DatasetSink sink, StreamExecutionEnvironment env, int rows, CrashOnce crash)
            throws Exception {
        sink.addTo(rows(env, rows, crash));
        env.execute("rerun test");
    }

    private static org.apache.flink.streaming.api.datastream.DataStream<Row> rows(
            StreamExecutionEnvironment env, int rows, CrashOnce crash) {
        var numbers = env.fromSource(
                new NumberSequenceSource(0, rows - 1),
                WatermarkStrategy.<Long>forMonotonousTimestamps().withTimestampAssigner((i, ts) -> time(i)),
                "sequence");
        return (crash != null ? numbers.map(crash) : numbers.map(i -> DatasetTestSupport.row(i, time(i))))
                .returns(DatasetRows.typeInfo(SCHEMA));
    }

    private static StreamExecutionEnvironment environment(boolean checkpointing, Consumer<Configuration> settings) {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        if (checkpointing) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
        }
        settings.accept(conf);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    private static long time(long i) {
        return DAY + 5 + i * STEP;
    }

    private static List<String> ids(int rows) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            ids.add((String) DatasetTestSupport.values(i, time(i))[0]);
        }
        ids.sort(null);
        return ids;
    }

    /** Slows the rows so checkpoints happen, and fails the job once after a checkpoint completed. */
    static final class CrashOnce extends RichMapFunction<Long, Row> implements CheckpointListener {
        static final AtomicBoolean armed = new AtomicBoolean();
        private transient boolean checkpointCompleted;

        @Override
        public Row map(Long i) throws Exception {
            if (checkpointCompleted && i % 2 == 0 && armed.compareAndSet(true, false)) {
                throw new IllegalStateException("injected crash at row " + i);
            }
            if (i % 2 == 0) {
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
