package io.eventstream.jobs.spam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.parquet.DatasetRows;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.features.spam.SpamInputs;
import io.eventstream.jobs.common.LateRows;
import io.eventstream.jobs.testing.OperatorHarnesses;
import io.eventstream.jobs.testing.RowSets;
import io.eventstream.jobs.testing.SpamTestData;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * {@link SpamFeatureFunction} in Flink's keyed operator harness: ordering within the watermark
 * bound, state snapshot and restore, state expiry (no state or timer left behind), late events.
 * Watermarks are driven by hand, as the job's bounded-out-of-orderness strategy would.
 */
class SpamFeatureFunctionHarnessTest {
    private static final SpamJobConfig CONFIG = SpamTestData.CONFIG;
    private static final DatasetSchema FEATURES = SpamTestData.FEATURE_SET.featureSchema();
    private static final OutputTag<Row> ONLINE =
            new OutputTag<>("spam-online", DatasetRows.typeInfo(SpamTestData.FEATURE_SET.onlineSchema()));
    private static final OutputTag<Row> LATE =
            new OutputTag<>("late-spam-inputs", DatasetRows.typeInfo(LateRows.SCHEMA));
    private static final long LATENESS = CONFIG.allowedLatenessMillis();
    private static final long BOUND = CONFIG.maxOutOfOrdernessMillis();
    /** 2024-03-01T10:00:00Z, on a 10 s tile boundary. */
    private static final long T0 = 1_709_287_200_000L;

    private static final long USER = 7L;

    @Test
    void eventsArrivingOutOfOrderWithinTheBoundComeOutInTimeAndIdOrder() throws Exception {
        try (var harness = harness()) {
            harness.open();
            // Arrival order: 10 s, 5 s, 20 s, "b" at 15 s, "a" at 15 s. Applied order: 5, 10, a@15, b@15, 20.
            for (SpamInput input : List.of(
                    note("n10", 10_000),
                    note("n05", 5_000),
                    note("n20", 20_000),
                    note("b15", 15_000),
                    note("a15", 15_000))) {
                harness.processElement(input, input.timeMillis);
            }
            harness.processWatermark(T0 + 20_000 - BOUND - 1);
            assertThat(harness.extractOutputValues())
                    .as("nothing before the watermark passes time + lateness")
                    .isEmpty();

            harness.processWatermark(T0 + 20_000 + LATENESS);
            List<Row> rows = harness.extractOutputValues();
            assertThat(column(rows, "event_id")).containsExactly("n05", "n10", "a15", "b15", "n20");
            // Hand-computed: a 1 m window with 10 s hop at t covers [floor(t/10s)*10s - 60 s, t]; all five are inside.
            assertThat(column(rows, "notes_1m")).containsExactly(1, 2, 3, 4, 5);
            assertThat(column(rows, "seconds_since_previous_content_event")).containsExactly(null, 5L, 5L, 0L, 5L);
            assertThat(harness.getSideOutput(ONLINE))
                    .extracting(r -> r.getValue().getField(0))
                    .containsOnly(USER);
            assertThat(harness.getSideOutput(ONLINE)).hasSize(5);
            assertThat(harness.getSideOutput(LATE)).isNull();
        }
    }

    @Test
    void snapshotCloseRestoreOpenKeepsBufferedEventsAndStateAndChangesNoRow() throws Exception {
        List<SpamInput> inputs = generatedInputs(4_000);
        List<Row> uninterrupted;
        try (var harness = harness()) {
            harness.open();
            feed(harness, inputs);
            harness.processWatermark(Long.MAX_VALUE);
            uninterrupted = harness.extractOutputValues();
        }

        int half = inputs.size() / 2;
        List<Row> restoredRun = new ArrayList<>();
        OperatorSubtaskState snapshot;
        long contentBeforeSnapshot =
                inputs.subList(0, half).stream().filter(SpamInput::isContent).count();
        try (var first = harness()) {
            first.open();
            feed(first, inputs.subList(0, half));
            restoredRun.addAll(first.extractOutputValues());
            assertThat((long) restoredRun.size())
                    .as("some content events are still buffered at the snapshot")
                    .isLessThan(contentBeforeSnapshot);
            snapshot = first.snapshot(1L, 1L);
        }
        try (var second = OperatorHarnesses.restored(harness(), snapshot)) {
            feed(second, inputs.subList(half, inputs.size()));
            second.processWatermark(Long.MAX_VALUE);
            restoredRun.addAll(second.extractOutputValues());
        }

        assertThat(uninterrupted).hasSizeGreaterThan(1_000);
        RowSets.assertSameRows(
                "rows after snapshot and restore", FEATURES, "event_id", values(uninterrupted), values(restoredRun));
        List<CloudEvent> events = SpamTestData.events().subList(0, 4_000);
        RowSets.assertSameRows(
                "rows against the naive reference",
                FEATURES,
                "event_id",
                SpamTestData.Expected.of(events).features(),
                values(uninterrupted));
    }

    @Test
    void stateAndTimersOfAUserAreClearedAfterTheStateTtl() throws Exception {
        try (var harness = harness()) {
            harness.open();
            harness.processElement(note("n1", 0), T0);
            harness.processElement(note("n2", 60_000), T0 + 60_000);
            long lastApplied = T0 + 60_000;
            harness.processWatermark(lastApplied + LATENESS);
            assertThat(harness.extractOutputValues()).hasSize(2);
            assertThat(harness.numKeyedStateEntries())
                    .as("user state and expiry timer")
                    .isGreaterThan(0);
            assertThat(harness.numEventTimeTimers()).as("the expiry timer").isEqualTo(1);

            // Inactive for exactly the TTL: the state must still be there (an event now would still see it).
            harness.processWatermark(lastApplied + CONFIG.stateTtlMillis() + LATENESS);
            assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);

            harness.processWatermark(lastApplied + CONFIG.stateTtlMillis() + 1 + LATENESS);
            assertThat(harness.numKeyedStateEntries())
                    .as("keyed state entries after the TTL")
                    .isZero();
            assertThat(harness.numEventTimeTimers())
                    .as("event-time timers after the TTL")
                    .isZero();
        }
    }

    @Test
    void anEventLaterThanTheAllowedLatenessGoesToTheLateOutput() throws Exception {
        try (var harness = harness()) {
            harness.open();
            long watermark = T0 + 3_600_000;
            harness.processWatermark(watermark);
            SpamInput late = note("late-1", 3_600_000 - LATENESS); // due exactly at the watermark: late
            SpamInput inTime = note("in-time", 3_600_000 - LATENESS + 1);
            harness.processElement(late, late.timeMillis);
            harness.processElement(inTime, inTime.timeMillis);
            harness.processWatermark(Long.MAX_VALUE);

            assertThat(column(harness.extractOutputValues(), "event_id")).containsExactly("in-time");
            assertThat(harness.getSideOutput(LATE))
                    .extracting(StreamRecord::getValue)
                    .containsExactly(
                            Row.of("late-1", SpamFeatureFunction.STREAM, late.timeMillis, USER, watermark, LATENESS));
            assertThat(harness.numKeyedStateEntries())
                    .as("a late event leaves no state")
                    .isZero();
        }
    }

    static KeyedOneInputStreamOperatorTestHarness<Long, SpamInput, Row> harness() throws Exception {
        KeySelector<SpamInput, Long> byUser = input -> input.userId;
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SpamFeatureFunction(CONFIG, ONLINE, LATE)), byUser, Types.LONG);
    }

    /** A note by {@link #USER} in project 3, {@code offset} ms after {@link #T0}. */
    private static SpamInput note(String id, long offset) {
        SpamInput input = new SpamInput();
        input.eventId = id;
        input.timeMillis = T0 + offset;
        input.userId = USER;
        input.kind = SpamInput.NOTE_CREATED;
        input.projectId = 3L;
        input.noteableType = "Issue";
        input.textLength = 12;
        input.textHash = 42L;
        return input;
    }

    /** The first {@code count} generated events as inputs, in emission order (out of order by up to 20 s). */
    static List<SpamInput> generatedInputs(int count) {
        SpamInputs reduce = new SpamInputs(CONFIG, SpamTestData.hashKey());
        List<SpamInput> inputs = new ArrayList<>();
        for (CloudEvent event : SpamTestData.events().subList(0, count)) {
            SpamInput input = reduce.from(event);
            if (input != null) {
                inputs.add(input);
            }
        }
        return inputs;
    }

    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<Long, SpamInput, Row> harness, List<SpamInput> inputs)
            throws Exception {
        OperatorHarnesses.feedWithWatermarks(harness, inputs, input -> input.timeMillis, BOUND);
    }

    private static List<Object> column(List<Row> rows, String name) {
        int index = FEATURES.indexOf(name);
        return rows.stream().map(row -> row.getField(index)).toList();
    }

    private static List<Object[]> values(List<Row> rows) {
        return rows.stream()
                .map(row -> {
                    Object[] values = new Object[row.getArity()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = row.getField(i);
                    }
                    return values;
                })
                .toList();
    }
}
