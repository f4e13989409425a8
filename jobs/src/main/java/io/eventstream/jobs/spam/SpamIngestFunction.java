package io.eventstream.jobs.spam;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.Decoded;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.features.spam.SpamInputs;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.common.DeadLetterMetrics;
import io.eventstream.jobs.common.EventDecoder;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * First operator after the source: decodes each record, reduces it to a {@link SpamInput} (text
 * becomes numbers here, so no text crosses the network or enters state), and splits off label rows
 * and dead letters. Decoding and reduction run in one function because a {@link CloudEvent} is not
 * a Flink type: it never leaves this operator.
 */
public final class SpamIngestFunction extends ProcessFunction<RawEvent, SpamInput> {
    private static final long serialVersionUID = 1L;

    private final SpamJobConfig config;
    private final byte[] hashKey;
    private final int maxEventBytes;
    private final OutputTag<Row> labels;
    private final OutputTag<DeadLetter> deadLetters;

    private transient EventDecoder decoder;
    private transient SpamInputs inputs;
    private transient DeadLetterMetrics deadLetterMetrics;
    private transient Counter eventsIn;

    public SpamIngestFunction(SpamJobConfig config, byte[] hashKey, int maxEventBytes,
            OutputTag<Row> labels, OutputTag<DeadLetter> deadLetters) {
        this.config = config;
        this.hashKey = hashKey.clone();
        this.maxEventBytes = maxEventBytes;
        this.labels = labels;
        this.deadLetters = deadLetters;
    }

    @Override
    public void open(OpenContext openContext) {
        decoder = new EventDecoder(maxEventBytes);
        inputs = new SpamInputs(config, hashKey);
        deadLetterMetrics = new DeadLetterMetrics(getRuntimeContext().getMetricGroup());
        eventsIn = getRuntimeContext().getMetricGroup().counter("eventsIn");
    }

    @Override
    public void processElement(RawEvent raw, Context ctx, Collector<SpamInput> out) {
        eventsIn.inc();
        Decoded<CloudEvent> decoded = decoder.decode(raw);
        if (!decoded.isOk()) {
            deadLetterMetrics.count(decoded.error().reason());
            ctx.output(deadLetters, DeadLetter.of(raw, decoded.error(), System.currentTimeMillis()));
            return;
        }
        CloudEvent event = decoded.value();
        Object[] label = SpamLabels.labelRow(event);
        if (label != null) {
            ctx.output(labels, Row.of(label));
        }
        SpamInput input = inputs.from(event);
        if (input != null) {
            out.collect(input);
        }
    }
}
