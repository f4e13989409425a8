package io.eventstream.jobs.common;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.events.EventError;
import io.eventstream.features.events.ReasonCode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
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
 * {@code horizonMillis}, when an event-time timer clears it. The horizon is at least the allowed
 * lateness, so a copy that arrives after the state is gone is late anyway and never reaches the
 * features twice.
 */
public final class Deduplication extends KeyedProcessFunction<String, Row, Row> {
    private static final long serialVersionUID = 1L;

    private final long horizonMillis;
    private final OutputTag<DeadLetter> deadLetters;

    private transient ValueState<Long> seenDigest;
    private transient Counter duplicates;
    private transient DeadLetterMetrics deadLetterMetrics;

    public Deduplication(long horizonMillis, OutputTag<DeadLetter> deadLetters) {
        this.horizonMillis = horizonMillis;
        this.deadLetters = deadLetters;
    }

    @Override
    public void open(OpenContext openContext) {
        seenDigest = getRuntimeContext().getState(new ValueStateDescriptor<>("seen-digest", Types.LONG));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicates");
        deadLetterMetrics = new DeadLetterMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(Row event, Context ctx, Collector<Row> out) throws Exception {
        long digest = (Long) event.getField(IdentifiedEvents.DIGEST);
        Long seen = seenDigest.value();
        if (seen == null) {
            seenDigest.update(digest);
            long time = (Long) event.getField(IdentifiedEvents.TIME);
            ctx.timerService().registerEventTimeTimer(time > Long.MAX_VALUE - horizonMillis ? Long.MAX_VALUE
                    : time + horizonMillis);
            out.collect(event);
            return;
        }
        duplicates.inc();
        if (seen != digest) {
            deadLetterMetrics.count(ReasonCode.DUPLICATE_CONFLICT);
            // Where the conflicting copy came from and its size; its bytes are not at hand here.
            RawEvent copy = new RawEvent(new byte[0], (Long) event.getField(IdentifiedEvents.SIZE), null, null,
                    (String) event.getField(IdentifiedEvents.ORIGIN));
            ctx.output(deadLetters, DeadLetter.of(copy, new EventError(ReasonCode.DUPLICATE_CONFLICT, "id",
                    "an event with this source and id but different content was seen first"), System.currentTimeMillis()));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Row> out) {
        seenDigest.clear();
    }
}
