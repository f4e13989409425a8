package io.eventstream.jobs.common;

import io.eventstream.features.events.OrderedInput;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * A keyed function that applies each key's events in {@code (time, id)} order, whatever order they
 * arrive in, so its output does not depend on parallelism, arrival order or restarts; and that
 * expires the key's state when the domain says so, so state cannot grow forever.
 *
 * <p>Events are buffered in keyed state until the watermark reaches {@code time + allowedLateness}
 * (their due time); then the key's events of that due time are applied, sorted by time and id. The
 * buffer is a {@code MapState} keyed by due time, like Flink's own buffering operators: each due time
 * has its own event-time timer, and timers fire in time order, so the timer at {@code t} reads and
 * removes only the entry {@code t} (every earlier entry was applied by its own, earlier timer). A
 * {@code ListState} of every buffered event would be read whole and rewritten on every timer, which
 * on RocksDB costs a (de)serialization of the key's whole buffer per due time. An event arriving when the
 * watermark has already passed {@code time + allowedLateness} cannot be applied in order any more:
 * it is counted ({@code lateEvents} in the input's {@code stream} group, {@link LateEventMetrics}) and
 * its {@code late_events} row goes to the late output. The delay between an event and its output is therefore the watermark's
 * out-of-orderness bound plus the allowed lateness.
 *
 * <p>Expiry: after an event is applied the key holds one pending expiry timer, at
 * {@link #nextExpiryWatermark()} plus the allowed lateness (by then every input up to that
 * watermark has been applied). When it fires, {@link #expireState} either clears the state or
 * compacts it, and the next timer is registered; a key whose whole state expired is counted. At the
 * end of the input (watermark {@code Long.MAX_VALUE}), once none of a key's inputs is buffered, its
 * state expires as of that watermark, in one call.
 *
 * <p>Both feature jobs key by a {@code long} id (a user, a project), their inputs' {@link
 * OrderedInput#key()}.
 *
 * @param <I> input type (a POJO; buffered in Flink state)
 * @param <O> output type
 */
public abstract class EventTimeOrderedFunction<I extends OrderedInput, O> extends KeyedProcessFunction<Long, I, O> {
    private static final long serialVersionUID = 1L;

    private final TypeInformation<I> inputType;
    private final long allowedLatenessMillis;
    private final String stream;
    private final OutputTag<Row> late;
    private final String expiredKeysMetric;
    /** The buffered inputs by due time ({@code time + allowedLateness}). */
    private transient MapState<Long, List<I>> buffer;

    private transient ValueState<Long> expiryTimer;
    private transient Counter lateEvents;
    private transient Counter expiredKeys;

    /**
     * @param stream            the input's name in the {@code late_events} dataset's {@code stream} column and
     *                          in the {@code lateEvents} metric's group (e.g. {@code spam_input})
     * @param late              side output of the late inputs' {@code late_events} rows
     * @param expiredKeysMetric name of the counter of keys whose whole state expired (e.g. {@code expiredUsers})
     */
    protected EventTimeOrderedFunction(
            Class<I> inputType,
            long allowedLatenessMillis,
            String stream,
            OutputTag<Row> late,
            String expiredKeysMetric) {
        this.inputType = TypeInformation.of(inputType);
        this.allowedLatenessMillis = allowedLatenessMillis;
        this.stream = stream;
        this.late = late;
        this.expiredKeysMetric = expiredKeysMetric;
    }

    /** Applies one input; called in {@code (time, id)} order per key. */
    protected abstract void apply(I input, Context ctx, Collector<O> out) throws Exception;

    /**
     * Called after the due inputs of the current key were applied (all of its inputs at each of their
     * times: inputs of one key and time are always due together), e.g. to emit the key's state once
     * per time rather than once per input. Does nothing by default.
     */
    protected void applied(Context ctx, Collector<O> out) throws Exception {}

    /**
     * The watermark at which the current key's state has expiry work to do ({@link Long#MIN_VALUE}
     * when it has no state).
     */
    protected abstract long nextExpiryWatermark() throws Exception;

    /**
     * Expires the current key's state as of a watermark; returns true when the whole state was
     * cleared (no further expiry timer is needed).
     */
    protected abstract boolean expireState(long watermark) throws Exception;

    @Override
    public void open(OpenContext openContext) throws Exception {
        buffer = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("ordered-buffer", Types.LONG, Types.LIST(inputType)));
        expiryTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("expiry-timer", Types.LONG));
        lateEvents = LateEventMetrics.counter(getRuntimeContext().getMetricGroup(), stream);
        expiredKeys = getRuntimeContext().getMetricGroup().counter(expiredKeysMetric);
    }

    @Override
    public void processElement(I input, Context ctx, Collector<O> out) throws Exception {
        long due = input.timeMillis + allowedLatenessMillis;
        long watermark = ctx.timerService().currentWatermark();
        if (due <= watermark) {
            lateEvents.inc();
            ctx.output(late, LateRows.row(input, stream, watermark));
            return;
        }
        List<I> sameDue = buffer.get(due);
        if (sameDue == null) {
            sameDue = new ArrayList<>();
        }
        sameDue.add(input);
        buffer.put(due, sameDue);
        ctx.timerService().registerEventTimeTimer(due);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {
        // The expiry timer may fire at a time no input is due at: then there is no entry.
        List<I> ready = buffer.get(timestamp);
        if (ready != null) {
            buffer.remove(timestamp);
            ready.sort(OrderedInput::compareOrder);
            for (I input : ready) {
                apply(input, ctx, out);
            }
            applied(ctx, out);
            if (expiryTimer.value() == null) {
                scheduleExpiry(ctx);
            }
        }
        Long expiry = expiryTimer.value();
        if (expiry != null && timestamp >= expiry) {
            expiryTimer.clear();
            // At the end of the input (the watermark at its maximum; in batch execution, after each key's input)
            // with none of the key's inputs still buffered, no input can be applied any more: the state expires
            // as of that watermark, at once. As of each timer's own time it would expire step by step, each step's
            // timer due at once, each a walk over the key's state: a year of a hot project's daily compactions, on
            // RocksDB many minutes at the end of a bounded run, for a state that then clears. While inputs are
            // still buffered (due after this timer), the step must stay as of its own time.
            long watermark = ctx.timerService().currentWatermark() == Long.MAX_VALUE && buffer.isEmpty()
                    ? Long.MAX_VALUE
                    : timestamp - allowedLatenessMillis;
            if (expireState(watermark)) {
                expiredKeys.inc();
            } else {
                scheduleExpiry(ctx);
            }
        }
    }

    private void scheduleExpiry(Context ctx) throws Exception {
        long watermark = nextExpiryWatermark();
        if (watermark == Long.MIN_VALUE) {
            return;
        }
        long at =
                watermark > Long.MAX_VALUE - allowedLatenessMillis ? Long.MAX_VALUE : watermark + allowedLatenessMillis;
        expiryTimer.update(at);
        ctx.timerService().registerEventTimeTimer(at);
    }
}
