package io.eventstream.jobs.common;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.EventDigest;
import io.eventstream.features.events.EventError;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The feature jobs' first operator ({@link DecodingFunction}): reduces each valid event to the job's
 * flat payloads and emits them with the event's identity and content digest
 * ({@link IdentifiedEvents}), which {@link Deduplication} keys on.
 */
public abstract class ReducingDecodingFunction extends DecodingFunction {
    private static final long serialVersionUID = 1L;

    private transient EventDigest digest;

    protected ReducingDecodingFunction(int maxEventBytes, long maxFutureMillis, OutputTag<DeadLetter> deadLetters) {
        super(maxEventBytes, maxFutureMillis, deadLetters);
    }

    /**
     * The job's payloads of one valid event, in the order of its {@link IdentifiedEvents#typeInfo}
     * (any of them null), or null when the event is of no use to the job.
     */
    protected abstract Object[] reduce(CloudEvent event) throws Exception;

    /**
     * Why payloads the job cannot take make their event a dead letter, or null when they are fine: for a
     * job's own limits beyond the event's schema. None by default.
     */
    protected EventError invalid(Object[] payloads) {
        return null;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        digest = new EventDigest();
    }

    @Override
    protected final void onEvent(CloudEvent event, RawEvent raw, Context ctx, Collector<Row> out) throws Exception {
        Object[] payloads = reduce(event);
        EventError invalid = payloads == null ? null : invalid(payloads);
        if (invalid != null) {
            deadLetter(raw, invalid, ctx);
        } else if (payloads != null) {
            out.collect(IdentifiedEvents.of(
                    event,
                    digest.of(event),
                    raw.origin,
                    Math.max(raw.valueSize, raw.value == null ? 0 : raw.value.length),
                    payloads));
        }
    }
}
