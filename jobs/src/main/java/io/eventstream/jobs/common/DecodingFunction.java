package io.eventstream.jobs.common;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.Decoded;
import io.eventstream.features.events.EventError;
import io.eventstream.features.events.ReasonCode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * First operator after a job's source: decodes each record into a canonical event or a dead letter
 * (side output, counted per reason), refuses events dated in the future, then hands each valid event
 * to the job ({@link #onEvent}); the feature jobs reduce it to flat payloads with the event's
 * identity ({@link ReducingDecodingFunction}), the archive to its row. Decoding and reduction run in
 * one function because a {@link CloudEvent} is not a Flink type: it never leaves this operator, and
 * no text body crosses the network or enters state.
 *
 * <p>Future-dated events: more than {@code maxFutureMillis} ahead of when the record was recorded
 * (see {@link RawEventTime#recordedAt}) is {@link ReasonCode#FUTURE_TIME}, the rule the source's
 * timestamp assigner applies so that such an event never moves a watermark.
 */
public abstract class DecodingFunction extends ProcessFunction<RawEvent, Row> {
    private static final long serialVersionUID = 1L;

    private final int maxEventBytes;
    private final long maxFutureMillis;
    private final OutputTag<DeadLetter> deadLetters;

    private transient EventDecoder decoder;
    private transient DeadLetterMetrics deadLetterMetrics;
    private transient Counter eventsIn;
    private transient StreamLagMetrics lag;

    protected DecodingFunction(int maxEventBytes, long maxFutureMillis, OutputTag<DeadLetter> deadLetters) {
        this.maxEventBytes = maxEventBytes;
        this.maxFutureMillis = maxFutureMillis;
        this.deadLetters = deadLetters;
    }

    /** One valid event, not dated in the future, read from {@code raw}: emit what the job needs of it. */
    protected abstract void onEvent(CloudEvent event, RawEvent raw, Context ctx, Collector<Row> out) throws Exception;

    @Override
    public void open(OpenContext openContext) throws Exception {
        decoder = new EventDecoder(maxEventBytes);
        deadLetterMetrics = new DeadLetterMetrics(getRuntimeContext().getMetricGroup());
        eventsIn = getRuntimeContext().getMetricGroup().counter("eventsIn");
        lag = StreamLagMetrics.register(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(RawEvent raw, Context ctx, Collector<Row> out) throws Exception {
        eventsIn.inc();
        lag.observe(ctx.timestamp(), ctx.timerService().currentWatermark());
        Decoded<CloudEvent> decoded = decoder.decode(raw);
        if (!decoded.isOk()) {
            deadLetter(raw, decoded.error(), ctx);
            return;
        }
        CloudEvent event = decoded.value();
        long now = System.currentTimeMillis();
        long recordedAt = RawEventTime.recordedAt(
                raw.timestamp,
                event.recordedTime() == null ? null : event.recordedTime().toEpochMilli(),
                now);
        if (RawEventTime.isFuture(event.timeMillis(), recordedAt, maxFutureMillis)) {
            deadLetter(
                    raw,
                    new EventError(
                            ReasonCode.FUTURE_TIME,
                            "time",
                            "time is "
                                    + (event.timeMillis() - recordedAt)
                                    + " ms after the event was recorded, more than time.max_future "
                                    + maxFutureMillis + " ms"),
                    ctx);
            return;
        }
        onEvent(event, raw, ctx, out);
    }

    /** Counts an invalid event and sends it to the dead-letter output with its reason. */
    protected final void deadLetter(RawEvent raw, EventError error, Context ctx) {
        deadLetterMetrics.count(error.reason());
        ctx.output(deadLetters, DeadLetter.of(raw, error, System.currentTimeMillis()));
    }
}
