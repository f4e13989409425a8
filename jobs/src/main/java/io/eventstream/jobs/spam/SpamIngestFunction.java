package io.eventstream.jobs.spam;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.features.spam.SpamInputs;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.common.DecodingFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The spam job's first operator: each valid event becomes a {@link SpamInput} (text reduced to
 * numbers, email to a domain class and keyed hash) and, when it carries a label, a label row.
 */
public final class SpamIngestFunction extends DecodingFunction<SpamInput> {
    private static final long serialVersionUID = 1L;

    private final SpamJobConfig config;
    private final byte[] hashKey;
    private final OutputTag<Row> labels;

    private transient SpamInputs inputs;

    public SpamIngestFunction(SpamJobConfig config, byte[] hashKey, int maxEventBytes,
            OutputTag<Row> labels, OutputTag<DeadLetter> deadLetters) {
        super(maxEventBytes, deadLetters);
        this.config = config;
        this.hashKey = hashKey.clone();
        this.labels = labels;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        inputs = new SpamInputs(config, hashKey);
    }

    @Override
    protected void onEvent(CloudEvent event, Context ctx, Collector<SpamInput> out) {
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
