package io.eventstream.jobs.common;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A keyed function that applies each key's events in {@code (time, id)} order, whatever order they
 * arrive in, so its output does not depend on parallelism, arrival order or restarts.
 *
 * <p>Events are buffered in keyed state until the watermark reaches {@code time + allowedLateness};
 * then every due event of the key is applied, sorted by time and id. An event arriving when the
 * watermark has already passed {@code time + allowedLateness} cannot be applied in order any more:
 * it goes to {@link #late}. The delay between an event and its output is therefore the watermark's
 * out-of-orderness bound plus the allowed lateness.
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

    /** Handles an input that arrived too late to be applied in order. */
    protected abstract void late(I input, long watermark, Context ctx) throws Exception;

    /** Called after due inputs were applied at an event-time timer; for state expiry. */
    protected void afterTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        buffer = getRuntimeContext().getListState(new ListStateDescriptor<>("ordered-buffer", inputType));
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
            }
        }
        afterTimer(timestamp, ctx, out);
    }

    protected long allowedLatenessMillis() {
        return allowedLatenessMillis;
    }
}
