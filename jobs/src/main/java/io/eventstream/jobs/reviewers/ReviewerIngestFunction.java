package io.eventstream.jobs.reviewers;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.EventError;
import io.eventstream.features.events.ReasonCode;
import io.eventstream.features.reviewers.ReviewerInput;
import io.eventstream.features.reviewers.ReviewerInputs;
import io.eventstream.features.reviewers.ReviewerTileWork;
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

    /** A project id the user buckets cannot be keyed by ({@link ReviewerTileWork#key()}): no GitLab id comes near. */
    @Override
    protected EventError invalid(Object[] payloads) {
        long project = ((ReviewerInput) payloads[0]).projectId;
        return ReviewerTileWork.keyable(project)
                ? null
                : new EventError(
                        ReasonCode.INVALID_FIELD,
                        "data.project_id",
                        "project_id " + project + " is outside 0.." + ReviewerTileWork.MAX_PROJECT_ID
                                + ", the ids the reviewer job keys a project's user buckets by");
    }
}
