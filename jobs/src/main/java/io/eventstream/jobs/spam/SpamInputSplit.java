package io.eventstream.jobs.spam;

import io.eventstream.features.spam.SpamInput;
import io.eventstream.jobs.common.IdentifiedEvents;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** After deduplication: the {@link SpamInput} of an event to the main output, its label row to the label output. */
public final class SpamInputSplit extends ProcessFunction<Row, SpamInput> {
    private static final long serialVersionUID = 1L;

    private final OutputTag<Row> labels;

    public SpamInputSplit(OutputTag<Row> labels) {
        this.labels = labels;
    }

    @Override
    public void processElement(Row event, Context ctx, Collector<SpamInput> out) {
        SpamInput input = IdentifiedEvents.payload(event, 0);
        if (input != null) {
            out.collect(input);
        }
        Row label = IdentifiedEvents.payload(event, 1);
        if (label != null) {
            ctx.output(labels, label);
        }
    }
}
