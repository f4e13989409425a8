package io.eventstream.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.parquet.DatasetRows;
import io.eventstream.features.events.OrderedInput;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EventTimeOrderedFunction} in Flink's keyed operator harness, with a key state that compacts
 * once a day until it is idle for {@link #TTL}, like the reviewer state: inputs apply in {@code (time,
 * id)} order at {@code time + lateness}, each expiry step runs as of its own watermark, and at the end
 * of the input the state expires in one step as of the final watermark instead of one walk per
 * remaining day.
 */
class EventTimeOrderedFunctionTest {
    private static final long T0 = 1_717_200_000_000L;
    private static final long MINUTE = 60_000;
    private static final long DAY = 24 * 60 * MINUTE;
    private static final long LATENESS = MINUTE;
    private static final long TTL = 10 * DAY;
    private static final OutputTag<Row> LATE = new OutputTag<>("late", DatasetRows.typeInfo(LateRows.SCHEMA));

    /** The watermarks {@link Compacting#expireState} was called with, in order. */
    private static final List<Long> EXPIRED_AS_OF = new ArrayList<>();
    /** The state's last input time each input after the first of its key found. */
    private static final List<Long> APPLIED_AFTER = new ArrayList<>();

    @BeforeEach
    void forget() {
        EXPIRED_AS_OF.clear();
        APPLIED_AFTER.clear();
    }

    @Test
    void inputsApplyInTimeAndIdOrderAndTheStateCompactsAsOfEachStepsWatermark() throws Exception {
        try (var harness = harness()) {
            harness.open();
            harness.processElement(input("b", T0), T0);
            harness.processElement(input("c", T0 + 1), T0 + 1);
            harness.processElement(input("a", T0), T0);
            harness.processWatermark(T0 + LATENESS);
            assertThat(harness.extractOutputValues()).containsExactly("a", "b");

            harness.processWatermark(T0 + 3 * DAY + LATENESS);
            assertThat(harness.extractOutputValues()).containsExactly("a", "b", "c");
            assertThat(EXPIRED_AS_OF).containsExactly(T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY);
            assertThat(harness.numKeyedStateEntries())
                    .as("the key's state, compacted")
                    .isPositive();
        }
    }

    @Test
    void atTheEndOfTheInputTheStateExpiresInOneStep() throws Exception {
        try (var harness = harness()) {
            harness.open();
            harness.processElement(input("a", T0), T0);
            harness.processWatermark(T0 + DAY + LATENESS);
            assertThat(EXPIRED_AS_OF).containsExactly(T0 + DAY);

            harness.processWatermark(Long.MAX_VALUE);
            assertThat(EXPIRED_AS_OF)
                    .as("one step as of the final watermark, not one per remaining day")
                    .containsExactly(T0 + DAY, Long.MAX_VALUE);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    /**
     * The final watermark also fires the timers of inputs still buffered: an expiry step due before them
     * stays as of its own time (expiring as of the final watermark would clear what they apply to), and
     * only the step after the last of them expires the state at once.
     */
    @Test
    void atTheEndOfTheInputBufferedInputsStillApplyToTheCompactedState() throws Exception {
        try (var harness = harness()) {
            harness.open();
            harness.processElement(input("a", T0), T0);
            harness.processElement(input("b", T0 + 3 * DAY), T0 + 3 * DAY);

            harness.processWatermark(Long.MAX_VALUE);
            assertThat(harness.extractOutputValues()).containsExactly("a", "b");
            assertThat(APPLIED_AFTER).as("b applied to a's state").containsExactly(T0);
            assertThat(EXPIRED_AS_OF).containsExactly(T0 + DAY, T0 + 2 * DAY, Long.MAX_VALUE);
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    private static Step input(String id, long time) {
        Step step = new Step();
        step.eventId = id;
        step.timeMillis = time;
        step.user = 7;
        return step;
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, Step, String> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new Compacting()), Step::key, Types.LONG);
    }

    /** An input of user {@link #user}. */
    public static final class Step extends OrderedInput {
        public long user;

        @Override
        public long key() {
            return user;
        }
    }

    /**
     * Emits each applied input's id; its state (the last input's time and the watermark it was last
     * compacted as of) has compaction work once a day after either, until it is idle for {@link #TTL}.
     */
    private static final class Compacting extends EventTimeOrderedFunction<Step, String> {
        private transient ValueState<Long> lastTime;
        private transient ValueState<Long> compactedAsOf;

        Compacting() {
            super(Step.class, LATENESS, "test_input", LATE, "expiredUsers");
        }

        @Override
        public void open(OpenContext openContext) throws Exception {
            super.open(openContext);
            lastTime = getRuntimeContext().getState(new ValueStateDescriptor<>("last-time", Types.LONG));
            compactedAsOf = getRuntimeContext().getState(new ValueStateDescriptor<>("compacted-as-of", Types.LONG));
        }

        @Override
        protected void apply(Step input, Context ctx, Collector<String> out) throws Exception {
            if (lastTime.value() != null) {
                APPLIED_AFTER.add(lastTime.value());
            }
            lastTime.update(input.timeMillis);
            compactedAsOf.clear();
            out.collect(input.eventId);
        }

        @Override
        protected long nextExpiryWatermark() throws Exception {
            Long last = lastTime.value();
            if (last == null) {
                return Long.MIN_VALUE;
            }
            Long compacted = compactedAsOf.value();
            return (compacted == null ? last : compacted) + DAY;
        }

        @Override
        protected boolean expireState(long watermark) throws Exception {
            EXPIRED_AS_OF.add(watermark);
            if (watermark - lastTime.value() >= TTL) {
                lastTime.clear();
                compactedAsOf.clear();
                return true;
            }
            compactedAsOf.update(watermark);
            return false;
        }
    }
}
