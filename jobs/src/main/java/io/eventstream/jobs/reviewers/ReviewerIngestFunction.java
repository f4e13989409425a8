package io.eventstream.jobs.reviewers;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.reviewers.ReviewerInput;
import io.eventstream.features.reviewers.ReviewerInputs;
import io.eventstream.jobs.common.DecodingFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** The reviewer job's first operator: each relevant event becomes a {@link ReviewerInput} keyed by project. */
public final class ReviewerIngestFunction extends DecodingFunction<ReviewerInput> {
    private static final long serialVersionUID = 1L;

    public ReviewerIngestFunction(int maxEventBytes, OutputTag<DeadLetter> deadLetters) {
        super(maxEventBytes, deadLetters);
    }

    @Override
    protected void onEvent(CloudEvent event, Context ctx, Collector<ReviewerInput> out) {
        ReviewerInput input = ReviewerInputs.from(event);
        if (input != null) {
            out.collect(input);
        }
    }
}
