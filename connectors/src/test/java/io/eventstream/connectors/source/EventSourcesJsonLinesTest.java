package io.eventstream.connectors.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.ReasonCode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The JSON-lines source on a MiniCluster, with a failure after a checkpoint taken mid-file. */
class EventSourcesJsonLinesTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final int HUGE_LINE = 3 * CloudEventJson.DEFAULT_MAX_BYTES;

    @TempDir
    Path dir;

    @Test
    void everyLineExactlyOnceWithItsLineNumberAcrossAFailureAndRestore() throws Exception {
        // Expected origins and value sizes, written down while generating the files.
        Map<String, Long> expected = new HashMap<>();
        Path a = dir.resolve("a.jsonl");
        try (Writer out = Files.newBufferedWriter(a, StandardCharsets.UTF_8)) {
            for (int line = 1; line <= 3000; line++) {
                String text =
                        line == 10 ? "" : line == 2000 ? "{\"huge\":\"" + "h".repeat(HUGE_LINE) + "\"}" : event(line);
                out.write(text + "\n");
                if (!text.isEmpty()) {
                    expected.put("file:" + a + ":" + line, (long) text.length());
                }
            }
        }
        Path b = dir.resolve("b.jsonl");
        try (Writer out = Files.newBufferedWriter(b, StandardCharsets.UTF_8)) {
            for (int line = 1; line <= 2000; line++) {
                out.write(event(10_000 + line) + (line < 2000 ? "\n" : ""));
                expected.put(
                        "file:" + b + ":" + line, (long) event(10_000 + line).length());
            }
        }

        FailOnceAfterCheckpoint.reset();
        Configuration config = new Configuration();
        config.set(PipelineOptions.GENERIC_TYPES, false);
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        env.enableCheckpointing(100);

        List<RawEvent> read = new ArrayList<>();
        // executeAndCollect with checkpointing only returns checkpointed results: exactly once.
        env.fromSource(
                        EventSources.jsonLines(
                                new org.apache.flink.core.fs.Path(a.toUri()),
                                new org.apache.flink.core.fs.Path(b.toUri())),
                        WatermarkStrategy.noWatermarks(),
                        "json-lines")
                .map(new FailOnceAfterCheckpoint())
                .executeAndCollect()
                .forEachRemaining(read::add);

        assertThat(FailOnceAfterCheckpoint.FAILED)
                .as("the failure was injected")
                .isTrue();
        assertThat(FailOnceAfterCheckpoint.SEEN_AFTER_RESTORE.get())
                .as("the restarted attempt resumed mid-file instead of from the start")
                .isPositive()
                .isLessThan(expected.size());

        Map<String, Long> actual = new HashMap<>();
        for (RawEvent event : read) {
            assertThat(actual.put(event.origin, event.valueSize))
                    .as("duplicate " + event.origin)
                    .isNull();
        }
        assertThat(actual).isEqualTo(expected);

        CloudEventJson json = new CloudEventJson();
        RawEvent huge = read.stream()
                .filter(e -> e.origin.equals("file:" + a + ":2000"))
                .findFirst()
                .orElseThrow();
        assertThat(huge.value).hasSize(CloudEventJson.DEFAULT_MAX_BYTES + 1);
        assertThat(json.read(huge.value).error().reason()).isEqualTo(ReasonCode.OVERSIZED);
        RawEvent last = read.stream()
                .filter(e -> e.origin.equals("file:" + b + ":2000"))
                .findFirst()
                .orElseThrow();
        assertThat(json.read(last.value).value().id()).isEqualTo("evt-12000");
    }

    private static final CloudEventJson JSON = new CloudEventJson();

    private static String event(int i) {
        return JSON.writeString(io.eventstream.connectors.testing.TestEvents.note(i));
    }

    /**
     * Slows the first attempt down (so the source is mid-file when a checkpoint completes), then
     * throws once, after a completed checkpoint that this subtask took with records behind it, so the
     * restore must resume mid-file.
     */
    static final class FailOnceAfterCheckpoint extends RichMapFunction<RawEvent, RawEvent>
            implements CheckpointListener, CheckpointedFunction {
        private static final int RECORDS_BEFORE_CHECKPOINT = 200;
        static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicInteger SEEN_AFTER_RESTORE = new AtomicInteger();

        private int processed;
        private long firstCheckpointWithRecords = Long.MAX_VALUE;

        static void reset() {
            CHECKPOINTED.set(false);
            FAILED.set(false);
            SEEN_AFTER_RESTORE.set(0);
        }

        @Override
        public RawEvent map(RawEvent event) throws Exception {
            if (getRuntimeContext().getTaskInfo().getAttemptNumber() > 0) {
                SEEN_AFTER_RESTORE.incrementAndGet();
                return event;
            }
            if (CHECKPOINTED.get() && FAILED.compareAndSet(false, true)) {
                throw new IOException("injected failure after a checkpoint");
            }
            processed++;
            Thread.sleep(1);
            return event;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            if (processed >= RECORDS_BEFORE_CHECKPOINT && firstCheckpointWithRecords == Long.MAX_VALUE) {
                firstCheckpointWithRecords = context.getCheckpointId();
            }
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {}

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (checkpointId >= firstCheckpointWithRecords) {
                CHECKPOINTED.set(true);
            }
        }
    }
}
