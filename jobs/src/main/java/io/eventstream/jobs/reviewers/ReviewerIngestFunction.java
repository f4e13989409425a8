package io.eventstream.jobs.reviewers;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.reviewers.ReviewerInput;
import io.eventstream.features.reviewers.ReviewerInputs;
import io.eventstream.jobs.common.ReducingDecodingFunction;
import org.apache.flink.util.OutputTag;

/**
 * The reviewer job's first operator: each relevant event becomes a {@link ReviewerInput}, the one
 * payload of its {@link io.eventstream.jobs.common.IdentifiedEvents} row.
 */
public final class ReviewerIngestFunction extends ReducingDecodingFunction {
    private static final long serialVersionUID = 1L;

    public ReviewerIngestFunction(int maxEventBytes, long maxFutureMillis, OutputTag<DeadLetter> deadLetters) {
        super(maxEventBytes, maxFutureMillis, deadLetters);
    }

    @Override
    protected Object[] reduce(CloudEvent event) {
        ReviewerInput input = ReviewerInputs.from(event);
        return input == null ? null : new Object[] {input};
    }
}
