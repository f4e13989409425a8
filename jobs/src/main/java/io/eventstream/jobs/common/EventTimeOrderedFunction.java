package io.eventstream.jobs.common;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A keyed function that applies each key's events in {@code (time, id)} order, whatever order they
 * arrive in, so its output does not depend on parallelism, arrival order or restarts; and that
 * expires the key's state when the domain says so, so state cannot grow forever.
 *
 * <p>Events are buffered in keyed state until the watermark reaches {@code time + allowedLateness};
 * then every due event of the key is applied, sorted by time and id. An event arriving when the
 * watermark has already passed {@code time + allowedLateness} cannot be applied in order any more:
 * it goes to {@link #late}. The delay between an event and its output is therefore the watermark's
 * out-of-orderness bound plus the allowed lateness.
 *
 * <p>Expiry: after an event is applied the key holds one pending expiry timer, at
 * {@link #nextExpiryWatermark()} plus the allowed lateness (by then every input up to that
 * watermark has been applied). When it fires, {@link #expireState} either clears the state or
 * compacts it, and the next timer is registered.
 *
 * @param <K> key type
 * @param <I> input type (a POJO; buffered in Flink state)
 * @param <O> output type
 */
public abstract class EventTimeOrderedFunction<K, I, O> extends KeyedProcessFunction<K, I, O> {
    private static final long serialVersionUID = 1L;

    private final TypeInformation<I> inputType;
    private final long allowedLatenessMillis;
    private transient ListState<I> buffer;
    private transient ValueState<Long> expiryTimer;
    private transient Comparator<I> order;

    protected EventTimeOrderedFunction(TypeInformation<I> inputType, long allowedLatenessMillis) {
        this.inputType = inputType;
        this.allowedLatenessMillis = allowedLatenessMillis;
    }

    /** Event time of an input, epoch millis. */
    protected abstract long timeOf(I input);

    /** Unique id of an input (the CloudEvent id): the tie-break among equal times. */
    protected abstract String idOf(I input);

    /** Applies one input; called in {@code (time, id)} order per key. */
    protected abstract void apply(I input, Context ctx, Collector<O> out) throws Exception;

    /**
     * Called after the due inputs of the current key were applied (all of its inputs at each of their
     * times: inputs of one key and time are always due together), e.g. to emit the key's state once
     * per time rather than once per input. Does nothing by default.
     */
    protected void applied(Context ctx, Collector<O> out) throws Exception {
    }

    /** Handles an input that arrived too late to be applied in order. */
    protected abstract void late(I input, long watermark, Context ctx) throws Exception;

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
        buffer = getRuntimeContext().getListState(new ListStateDescriptor<>("ordered-buffer", inputType));
        expiryTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("expiry-timer", Types.LONG));
        order = Comparator.<I>comparingLong(this::timeOf).thenComparing(this::idOf);
    }

    @Override
    public void processElement(I input, Context ctx, Collector<O> out) throws Exception {
        long due = timeOf(input) + allowedLatenessMillis;
        long watermark = ctx.timerService().currentWatermark();
        if (due <= watermark) {
            late(input, watermark, ctx);
            return;
        }
        buffer.add(input);
        ctx.timerService().registerEventTimeTimer(due);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {
        Iterable<I> buffered = buffer.get();
        if (buffered != null) {
            List<I> ready = new ArrayList<>();
            List<I> waiting = new ArrayList<>();
            for (I input : buffered) {
                (timeOf(input) + allowedLatenessMillis <= timestamp ? ready : waiting).add(input);
            }
            if (!ready.isEmpty()) {
                ready.sort(order);
                if (waiting.isEmpty()) {
                    buffer.clear();
                } else {
                    buffer.update(waiting);
                }
                for (I input : ready) {
                    apply(input, ctx, out);
                }
                applied(ctx, out);
                if (expiryTimer.value() == null) {
                    scheduleExpiry(ctx);
                }
            }
        }
        Long expiry = expiryTimer.value();
        if (expiry != null && timestamp >= expiry) {
            expiryTimer.clear();
            if (!expireState(timestamp - allowedLatenessMillis)) {
                scheduleExpiry(ctx);
            }
        }
    }

    private void scheduleExpiry(Context ctx) throws Exception {
        long watermark = nextExpiryWatermark();
        if (watermark == Long.MIN_VALUE) {
            return;
        }
        long at = watermark > Long.MAX_VALUE - allowedLatenessMillis ? Long.MAX_VALUE : watermark + allowedLatenessMillis;
        expiryTimer.update(at);
        ctx.timerService().registerEventTimeTimer(at);
    }

    protected long allowedLatenessMillis() {
        return allowedLatenessMillis;
    }
}
