package io.eventstream.jobs.spam;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.features.spam.SpamInputs;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.common.ReducingDecodingFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.types.Row;
import org.apache.flink.util.OutputTag;

/**
 * The spam job's first operator: each valid event becomes a {@link SpamInput} (text reduced to
 * numbers, email to a domain class and keyed hash) and, when it carries a label, a label row: the
 * two payloads of its {@link io.eventstream.jobs.common.IdentifiedEvents} row, split again after
 * deduplication ({@link SpamInputSplit}).
 */
public final class SpamIngestFunction extends ReducingDecodingFunction {
    private static final long serialVersionUID = 1L;

    private final SpamJobConfig config;
    private final byte[] hashKey;

    private transient SpamInputs inputs;

    public SpamIngestFunction(
            SpamJobConfig config, byte[] hashKey, int maxEventBytes, OutputTag<DeadLetter> deadLetters) {
        super(maxEventBytes, config.maxFutureMillis(), deadLetters);
        this.config = config;
        this.hashKey = hashKey.clone();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        inputs = new SpamInputs(config, hashKey);
    }

    /** Payloads: the {@link SpamInput} and the label row, either may be null. */
    @Override
    protected Object[] reduce(CloudEvent event) {
        Object[] label = SpamLabels.labelRow(event);
        SpamInput input = inputs.from(event);
        if (label == null && input == null) {
            return null;
        }
        return new Object[] {input, label == null ? null : Row.of(label)};
    }
}
