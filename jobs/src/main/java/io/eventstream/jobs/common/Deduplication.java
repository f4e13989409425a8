package io.eventstream.jobs.common;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.events.EventError;
import io.eventstream.features.events.ReasonCode;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Lets through the first copy of each event, keyed by {@code (source, id)}
 * ({@link IdentifiedEvents#key}), before any feature state, label or online row sees it. A later
 * copy within the horizon is counted ({@code duplicates}) and dropped; a copy whose content differs
 * ({@link IdentifiedEvents#DIGEST}) is also a {@link ReasonCode#DUPLICATE_CONFLICT} dead letter: the
 * first one seen stays, and the conflict is there for an operator to look at.
 *
 * <p>State per key: the digest of the first copy, kept in keyed state (so a restore from a
 * checkpoint keeps the seen set) until the watermark passes the event's time plus
 * {@code horizonMillis}, when an event-time timer clears it.
 *
 * <p>An event whose time plus the horizon is at or before the watermark cannot be deduplicated
 * any more: an earlier copy may have been forgotten. It goes to the {@code late} output as the
 * job's late rows ({@link LateRowsOf}), never downstream: the horizon is at least the allowed
 * lateness, so it is late anyway. Deciding that here, and not leaving it to the keyed function
 * downstream, matters because that function judges lateness by its own watermark, which can be
 * behind this one: at parallelism above 1 it is the minimum over every deduplication subtask, and
 * after a restore every watermark starts again from {@link Long#MIN_VALUE} while the seen set is
 * restored without the keys forgotten before the checkpoint. Either way a copy arriving after the
 * state was cleared would be applied a second time. For the restore case the watermark this
 * function has forgotten up to (the highest expiry timer that fired) is kept in operator state, and
 * only the restored value joins the current watermark in that decision: within one run the current
 * watermark is already past every timer that fired. In batch execution (a backfill) the timers of a
 * key fire when its input ends and the next key starts again from {@link Long#MIN_VALUE}, so a value
 * carried from one key to the next would make every later key's events late.
 */
public final class Deduplication extends KeyedProcessFunction<String, Row, Row> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final int STREAM = LateRows.SCHEMA.indexOf("stream");

    /** The job's late rows of an event that came after the horizon, at a watermark. */
    @FunctionalInterface
    public interface LateRowsOf extends Serializable {
        List<Row> rows(Row event, long watermark);
    }

    private final long horizonMillis;
    private final OutputTag<DeadLetter> deadLetters;
    private final OutputTag<Row> late;
    private final LateRowsOf lateRows;

    private transient ValueState<Long> seenDigest;
    /** Every key whose time plus the horizon is at or before this has been forgotten (snapshotted). */
    private transient long forgottenThrough;
    /** {@link #forgottenThrough} as restored from the checkpoint: what this run's watermark does not know. */
    private transient long forgottenBeforeRestore;

    private transient ListState<Long> forgottenThroughState;
    private transient Counter duplicates;
    private transient DeadLetterMetrics deadLetterMetrics;
    private transient Map<String, Counter> lateEvents;

    /**
     * @param late     where the late rows of events beyond the horizon go
     * @param lateRows what those rows are (the job's {@link LateRows}, one per stream the event feeds)
     */
    public Deduplication(
            long horizonMillis, OutputTag<DeadLetter> deadLetters, OutputTag<Row> late, LateRowsOf lateRows) {
        this.horizonMillis = horizonMillis;
        this.deadLetters = deadLetters;
        this.late = late;
        this.lateRows = lateRows;
    }

    /**
     * The step every feature job takes between decoding and its keyed state: {@code identified}
     * (rows of {@link IdentifiedEvents}) keyed by {@code (source, id)} through a deduplication, the
     * operator's uid {@code uid} (savepoints find it by that).
     */
    public static SingleOutputStreamOperator<Row> deduplicate(
            DataStream<Row> identified,
            long horizonMillis,
            OutputTag<DeadLetter> deadLetters,
            OutputTag<Row> late,
            LateRowsOf lateRows,
            String uid) {
        return identified
                .keyBy(IdentifiedEvents::key, Types.STRING)
                .process(new Deduplication(horizonMillis, deadLetters, late, lateRows))
                .returns(identified.getType())
                .name("deduplicate by source and id")
                .uid(uid);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        // Union state: after rescaling a subtask holds keys another one forgot; the maximum is safe for all of them.
        forgottenThroughState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("forgotten-through", Types.LONG));
        forgottenThrough = Long.MIN_VALUE;
        for (Long watermark : forgottenThroughState.get()) {
            forgottenThrough = Math.max(forgottenThrough, watermark);
        }
        forgottenBeforeRestore = forgottenThrough;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        forgottenThroughState.update(List.of(forgottenThrough));
    }

    @Override
    public void open(OpenContext openContext) {
        seenDigest = getRuntimeContext().getState(new ValueStateDescriptor<>("seen-digest", Types.LONG));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicates");
        deadLetterMetrics = new DeadLetterMetrics(getRuntimeContext().getMetricGroup());
        lateEvents = new HashMap<>();
    }

    @Override
    public void processElement(Row event, Context ctx, Collector<Row> out) throws Exception {
        long digest = (Long) event.getField(IdentifiedEvents.DIGEST);
        Long seen = seenDigest.value();
        if (seen == null) {
            long time = (Long) event.getField(IdentifiedEvents.TIME);
            long forgetAt = time > Long.MAX_VALUE - horizonMillis ? Long.MAX_VALUE : time + horizonMillis;
            long watermark = Math.max(ctx.timerService().currentWatermark(), forgottenBeforeRestore);
            if (forgetAt <= watermark) {
                for (Row row : lateRows.rows(event, watermark)) {
                    lateEvents
                            .computeIfAbsent(
                                    (String) row.getField(STREAM),
                                    stream -> LateEventMetrics.counter(
                                            getRuntimeContext().getMetricGroup(), stream))
                            .inc();
                    ctx.output(late, row);
                }
                return;
            }
            seenDigest.update(digest);
            ctx.timerService().registerEventTimeTimer(forgetAt);
            out.collect(event);
            return;
        }
        duplicates.inc();
        if (seen != digest) {
            deadLetterMetrics.count(ReasonCode.DUPLICATE_CONFLICT);
            // Where the conflicting copy came from and its size; its bytes are not at hand here.
            RawEvent copy = new RawEvent(new byte[0], (Long) event.getField(IdentifiedEvents.SIZE), null, null, (String)
                    event.getField(IdentifiedEvents.ORIGIN));
            ctx.output(
                    deadLetters,
                    DeadLetter.of(
                            copy,
                            new EventError(
                                    ReasonCode.DUPLICATE_CONFLICT,
                                    "id",
                                    "an event with this source and id but different content was seen first"),
                            System.currentTimeMillis()));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Row> out) {
        seenDigest.clear();
        forgottenThrough = Math.max(forgottenThrough, timestamp);
    }
}
