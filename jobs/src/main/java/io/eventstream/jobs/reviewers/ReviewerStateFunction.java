package io.eventstream.jobs.reviewers;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.events.OrderedInput;
import io.eventstream.features.reviewers.ReviewerFeatureEngine;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.jobs.common.EventTimeOrderedFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * What the reviewer job's keyed functions share: the engine, the current key's
 * {@link MapStateReviewerState} (every access in a timer, as inputs are buffered), its expiry, and
 * the {@code candidateRows} counter.
 */
abstract class ReviewerStateFunction<I extends OrderedInput, O> extends EventTimeOrderedFunction<I, O> {
    private static final long serialVersionUID = 1L;

    protected final ReviewerJobConfig config;

    protected transient ReviewerFeatureEngine engine;
    protected transient MapStateReviewerState state;
    protected transient Counter candidateRows;

    ReviewerStateFunction(
            Class<I> inputType,
            ReviewerJobConfig config,
            String stream,
            OutputTag<Row> late,
            String expiredKeysMetric) {
        super(inputType, config.allowedLatenessMillis(), stream, late, expiredKeysMetric);
        this.config = config;
    }

    /** The state of the function's keys, made once per subtask. */
    protected abstract MapStateReviewerState createState();

    /** Expires the current key's state as {@link ReviewerFeatureEngine#expire} and its siblings do. */
    protected abstract boolean expire(long watermark);

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        engine = new ReviewerFeatureEngine(new ReviewerFeatureSet(config));
        state = createState();
        candidateRows = getRuntimeContext().getMetricGroup().counter("candidateRows");
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {
        state.setProject(ctx.getCurrentKey()); // every state access is in a timer (inputs are buffered)
        super.onTimer(timestamp, ctx, out);
    }

    @Override
    protected long nextExpiryWatermark() {
        return engine.expiryWatermark(state);
    }

    @Override
    protected boolean expireState(long watermark) {
        if (expire(watermark)) {
            state.clear();
            return true;
        }
        return false;
    }
}
