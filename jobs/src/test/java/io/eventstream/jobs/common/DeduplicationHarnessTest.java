package io.eventstream.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.jobs.testing.OperatorHarnesses;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * {@link Deduplication} in Flink's keyed operator harness: the first copy of a {@code (source, id)}
 * passes, an identical copy is dropped, a different one is dropped and dead-lettered; the same id
 * from another source is another event; the seen set survives snapshot and restore; state and timers
 * are gone once the watermark passes time + horizon; an event arriving after that, be it a forgotten
 * copy or not, is a late row and never passes, also after a restore that starts the watermark over.
 */
class DeduplicationHarnessTest {
    private static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
    private static final OutputTag<Row> LATE = new OutputTag<>("late", TypeInformation.of(Row.class));
    private static final long HORIZON = 3_600_000L;
    /** 2024-03-01T10:00:00Z. */
    private static final long T0 = 1_709_287_200_000L;

    private static final String GITLAB = "https://gitlab.example.com";

    @Test
    void firstCopyPassesIdenticalCopiesAreDroppedConflictingCopiesAreDeadLetters() throws Exception {
        try (var harness = harness()) {
            harness.open();
            harness.processElement(event(GITLAB, "a", 11L, T0, "file:x:1"), T0);
            harness.processElement(event(GITLAB, "b", 22L, T0 + 1, "file:x:2"), T0 + 1);
            harness.processElement(event(GITLAB, "a", 11L, T0, "file:x:3"), T0);
            harness.processElement(event(GITLAB, "a", 99L, T0, "file:x:4"), T0);
            harness.processElement(event("https://other.example.com", "a", 11L, T0, "file:x:5"), T0);
            // The source's length goes first in the key: "ab" + "c" is not "a" + "bc".
            harness.processElement(event("ab", "c", 1L, T0, "file:x:6"), T0);
            harness.processElement(event("a", "bc", 1L, T0, "file:x:7"), T0);

            assertThat(harness.extractOutputValues())
                    .extracting(r -> r.getField(IdentifiedEvents.ORIGIN))
                    .containsExactly("file:x:1", "file:x:2", "file:x:5", "file:x:6", "file:x:7");
            assertThat(harness.getSideOutput(DEAD_LETTERS))
                    .extracting(StreamRecord::getValue)
                    .extracting(d -> d.origin, d -> d.reason, d -> d.field, d -> d.rawSize)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("file:x:4", "DUPLICATE_CONFLICT", "id", 100L));
            assertThat(harness.numKeyedStateEntries())
                    .as("one digest per distinct key")
                    .isEqualTo(5);
            assertThat(harness.numEventTimeTimers())
                    .as("one expiry timer per distinct key")
                    .isEqualTo(5);
        }
    }

    @Test
    void stateAndTimersAreGoneOnceTheWatermarkPassesTimePlusHorizon() throws Exception {
        try (var harness = harness()) {
            harness.open();
            harness.processElement(event(GITLAB, "a", 1L, T0, "file:x:1"), T0);
            harness.processElement(event(GITLAB, "b", 2L, T0 + 60_000, "file:x:2"), T0 + 60_000);
            harness.processWatermark(T0 + HORIZON - 1);
            assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
            harness.processWatermark(T0 + HORIZON);
            assertThat(harness.numKeyedStateEntries()).as("a's digest, expired").isEqualTo(1);
            assertThat(harness.numEventTimeTimers()).isEqualTo(1);
            harness.processWatermark(T0 + 60_000 + HORIZON);
            assertThat(harness.numKeyedStateEntries())
                    .as("keyed state entries after the horizon")
                    .isZero();
            assertThat(harness.numEventTimeTimers())
                    .as("timers after the horizon")
                    .isZero();
        }
    }

    @Test
    void theSeenSetSurvivesSnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var first = harness()) {
            first.open();
            first.processElement(event(GITLAB, "a", 1L, T0, "file:x:1"), T0);
            first.processElement(event(GITLAB, "b", 2L, T0, "file:x:2"), T0);
            snapshot = first.snapshot(1L, T0);
        }
        try (var second = OperatorHarnesses.restored(harness(), snapshot)) {
            second.processElement(event(GITLAB, "a", 1L, T0, "file:x:1"), T0);
            second.processElement(event(GITLAB, "b", 3L, T0, "file:x:2"), T0);
            second.processElement(event(GITLAB, "c", 4L, T0, "file:x:3"), T0);
            assertThat(second.extractOutputValues())
                    .extracting(r -> r.getField(IdentifiedEvents.ID))
                    .containsExactly("c");
            assertThat(second.getSideOutput(DEAD_LETTERS))
                    .extracting(r -> r.getValue().reason)
                    .containsExactly("DUPLICATE_CONFLICT");
            assertThat(second.numEventTimeTimers()).as("restored timers").isEqualTo(3);
            second.processWatermark(T0 + HORIZON);
            assertThat(second.numKeyedStateEntries()).isZero();
            assertThat(second.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void anEventAfterTheHorizonIsALateRowWhetherItsCopyWasForgottenOrNot() throws Exception {
        try (var harness = harness()) {
            harness.open();
            harness.processElement(event(GITLAB, "a", 1L, T0, "file:x:1"), T0);
            harness.processWatermark(T0 + HORIZON);
            harness.processElement(event(GITLAB, "a", 1L, T0, "file:x:2"), T0);
            harness.processElement(event(GITLAB, "new", 2L, T0 - 1, "file:x:3"), T0 - 1);
            harness.processElement(event(GITLAB, "recent", 3L, T0 + 1, "file:x:4"), T0 + 1);

            assertThat(harness.extractOutputValues())
                    .extracting(r -> r.getField(IdentifiedEvents.ORIGIN))
                    .containsExactly("file:x:1", "file:x:4");
            assertThat(harness.getSideOutput(LATE))
                    .extracting(StreamRecord::getValue)
                    .extracting(r -> r.getField(0), r -> r.getField(4))
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("a", T0 + HORIZON),
                            org.assertj.core.groups.Tuple.tuple("new", T0 + HORIZON));
            assertThat(harness.numKeyedStateEntries())
                    .as("only the event that passed is remembered")
                    .isEqualTo(1);
            assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void aCopyOfAnEventForgottenBeforeTheCheckpointIsLateAfterARestoreThatStartsTheWatermarkOver() throws Exception {
        OperatorSubtaskState snapshot;
        try (var first = harness()) {
            first.open();
            first.processElement(event(GITLAB, "a", 1L, T0, "file:x:1"), T0);
            first.processElement(event(GITLAB, "b", 2L, T0 + 10, "file:x:2"), T0 + 10);
            first.processWatermark(T0 + HORIZON);
            snapshot = first.snapshot(1L, T0 + HORIZON);
        }
        try (var second = OperatorHarnesses.restored(harness(), snapshot)) {
            // No watermark yet after the restore: only the restored state can tell a's copy is too old.
            second.processElement(event(GITLAB, "a", 1L, T0, "file:x:1"), T0);
            second.processElement(event(GITLAB, "b", 2L, T0 + 10, "file:x:2"), T0 + 10);
            second.processElement(event(GITLAB, "c", 3L, T0 - 1, "file:x:3"), T0 - 1);
            second.processElement(event(GITLAB, "d", 4L, T0 + 1, "file:x:4"), T0 + 1);

            assertThat(second.extractOutputValues())
                    .as("b is still remembered; only d is new and within the horizon")
                    .extracting(r -> r.getField(IdentifiedEvents.ID))
                    .containsExactly("d");
            assertThat(second.getSideOutput(LATE))
                    .extracting(StreamRecord::getValue)
                    .extracting(r -> r.getField(0), r -> r.getField(4))
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("a", T0 + HORIZON),
                            org.assertj.core.groups.Tuple.tuple("c", T0 + HORIZON));
        }
    }

    private static Row event(String source, String id, long digest, long time, String origin) {
        Row row = new Row(IdentifiedEvents.PAYLOAD + 1);
        row.setField(IdentifiedEvents.SOURCE, source);
        row.setField(IdentifiedEvents.ID, id);
        row.setField(IdentifiedEvents.DIGEST, digest);
        row.setField(IdentifiedEvents.TIME, time);
        row.setField(IdentifiedEvents.ORIGIN, origin);
        row.setField(IdentifiedEvents.SIZE, 100L);
        row.setField(IdentifiedEvents.PAYLOAD, "payload of " + id);
        return row;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Row, Row> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new Deduplication(
                        HORIZON,
                        DEAD_LETTERS,
                        LATE,
                        (event, watermark) -> List.of(LateRows.row(
                                (String) event.getField(IdentifiedEvents.ID),
                                "test_input",
                                (Long) event.getField(IdentifiedEvents.TIME),
                                null,
                                watermark)))),
                IdentifiedEvents::key,
                Types.STRING);
    }
}
