package io.eventstream.jobs.common;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.Decoded;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * First operator after a job's source: decodes each record into a canonical event or a dead letter
 * (side output, counted per reason), then lets the job reduce the event to its own flat input type.
 * Decoding and reduction run in one function because a {@link CloudEvent} is not a Flink type: it
 * never leaves this operator, and no text body crosses the network or enters state.
 *
 * @param <I> the job's input type (a Flink POJO)
 */
public abstract class DecodingFunction<I> extends ProcessFunction<RawEvent, I> {
    private static final long serialVersionUID = 1L;

    private final int maxEventBytes;
    private final OutputTag<DeadLetter> deadLetters;

    private transient EventDecoder decoder;
    private transient DeadLetterMetrics deadLetterMetrics;
    private transient Counter eventsIn;
    private transient StreamLagMetrics lag;

    protected DecodingFunction(int maxEventBytes, OutputTag<DeadLetter> deadLetters) {
        this.maxEventBytes = maxEventBytes;
        this.deadLetters = deadLetters;
    }

    /** Reduces one valid event: emit the job's input (if any) and side outputs. */
    protected abstract void onEvent(CloudEvent event, Context ctx, Collector<I> out) throws Exception;

    @Override
    public void open(OpenContext openContext) throws Exception {
        decoder = new EventDecoder(maxEventBytes);
        deadLetterMetrics = new DeadLetterMetrics(getRuntimeContext().getMetricGroup());
        eventsIn = getRuntimeContext().getMetricGroup().counter("eventsIn");
        lag = StreamLagMetrics.register(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(RawEvent raw, Context ctx, Collector<I> out) throws Exception {
        eventsIn.inc();
        lag.observe(ctx.timestamp(), ctx.timerService().currentWatermark());
        Decoded<CloudEvent> decoded = decoder.decode(raw);
        if (!decoded.isOk()) {
            deadLetterMetrics.count(decoded.error().reason());
            ctx.output(deadLetters, DeadLetter.of(raw, decoded.error(), System.currentTimeMillis()));
            return;
        }
        onEvent(decoded.value(), ctx, out);
    }
}
