package io.eventstream.jobs.reviewers;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.reviewers.ReviewerFeatureEngine;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.reviewers.ReviewerInput;
import io.eventstream.features.reviewers.ReviewerOutput;
import io.eventstream.features.reviewers.ReviewerTileWork;
import io.eventstream.jobs.common.EventTimeOrderedFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The reviewer features of one project, first part: applies the project's events in
 * {@code (time, id)} order to the project's state ({@link MapStateReviewerState}: users, open merge
 * requests, branches and their paths, per-user tiles, each an entry of a {@code MapState}, so an event
 * reads and writes only what it touches; {@link ReviewerFeatureEngine#applyProject}), and emits
 * label rows and the changed online user rows (side outputs) and, per user bucket with work, the
 * {@link ReviewerTileWork} that {@link ReviewerBucketFunction} completes (main output).
 */
public final class ReviewerFeatureFunction extends EventTimeOrderedFunction<ReviewerInput, ReviewerTileWork> {
    private static final long serialVersionUID = 1L;

    static final String STREAM = "reviewer_input";
    /**
     * The most user records a subtask mirrors for ranking (about 120 bytes each on the heap: some 30 MB),
     * over all projects: far more than a hot project has (some 2,600 users after 30 days), so only
     * projects not ranked lately are evicted and rebuilt from state.
     */
    private static final long MAX_MIRRORED_USERS = 250_000;

    private final ReviewerJobConfig config;
    private final OutputTag<Row> labels;
    private final OutputTag<Row> onlineUsers;

    private transient ReviewerFeatureEngine engine;
    private transient MapStateReviewerState projectState;

    public ReviewerFeatureFunction(
            ReviewerJobConfig config, OutputTag<Row> labels, OutputTag<Row> onlineUsers, OutputTag<Row> late) {
        super(ReviewerInput.class, config.allowedLatenessMillis(), STREAM, late, "expiredProjects");
        this.config = config;
        this.labels = labels;
        this.onlineUsers = onlineUsers;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        engine = new ReviewerFeatureEngine(new ReviewerFeatureSet(config));
        // The project's own tiles are per user only, one key per user: no mirror of tile keys pays here.
        projectState = new MapStateReviewerState(getRuntimeContext(), new RankedUsersMirror(MAX_MIRRORED_USERS), null);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ReviewerTileWork> out) throws Exception {
        projectState.setProject(ctx.getCurrentKey()); // every state access is in a timer (inputs are buffered)
        super.onTimer(timestamp, ctx, out);
    }

    @Override
    protected void apply(ReviewerInput input, Context ctx, Collector<ReviewerTileWork> out) throws Exception {
        ReviewerOutput output = engine.applyProject(projectState, input);
        for (Object[] row : output.labelRows()) {
            ctx.output(labels, Row.of(row));
        }
        for (Object[] row : output.onlineUserRows()) {
            ctx.output(onlineUsers, Row.of(row));
        }
        for (ReviewerTileWork work : output.tileWork()) {
            out.collect(work.seal());
        }
    }

    @Override
    protected long nextExpiryWatermark() throws Exception {
        return engine.expiryWatermark(projectState);
    }

    @Override
    protected boolean expireState(long watermark) throws Exception {
        if (engine.expireProject(projectState, watermark)) {
            projectState.clear();
            return true;
        }
        return false;
    }
}
