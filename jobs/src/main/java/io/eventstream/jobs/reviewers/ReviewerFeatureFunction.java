package io.eventstream.jobs.reviewers;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.reviewers.ReviewerFeatureEngine;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.reviewers.ReviewerInput;
import io.eventstream.features.reviewers.ReviewerOutput;
import io.eventstream.features.reviewers.ReviewerTileWork;
import io.eventstream.jobs.common.EventTimeOrderedFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reviewer features of one project: applies the project's events in {@code (time, id)} order to
 * the project's state ({@link MapStateReviewerState}: users, open merge requests, branches and their
 * paths, tiles, each an entry of a {@code MapState}, so an event reads and writes only what it
 * touches), and emits label rows and the changed online user rows (side outputs).
 *
 * <p>With {@code state.user_buckets} 0 the state is the whole project's
 * ({@link ReviewerFeatureEngine#apply}): candidate rows and online prefix rows go to side outputs
 * too, and the main output stays empty. With N > 0 the path, prefix and pair tiles are kept by
 * {@link ReviewerBucketFunction} per user bucket ({@link ReviewerFeatureEngine#applyProject}): the main
 * output is each event's {@link ReviewerTileWork} per bucket with work, which completes the candidate
 * rows and writes the online prefix rows there.
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

    private static final Logger LOG = LoggerFactory.getLogger(ReviewerFeatureFunction.class);

    private final ReviewerJobConfig config;
    private final OutputTag<Row> candidates;
    private final OutputTag<Row> labels;
    private final OutputTag<Row> onlineUsers;
    private final OutputTag<Row> onlinePaths;
    private final boolean onRocksDb;

    private transient ReviewerFeatureEngine engine;
    private transient MapStateReviewerState projectState;
    private transient boolean buckets;
    private transient Counter candidateRows;

    /**
     * @param candidates   side output of the candidate rows, with {@code state.user_buckets} 0
     * @param onlinePaths  side output of the online prefix rows, with {@code state.user_buckets} 0
     * @param onRocksDb    whether keyed state is in RocksDB: then the project's own path, prefix and pair
     *                     tile keys are mirrored in memory ({@link TileKeysMirror})
     */
    public ReviewerFeatureFunction(
            ReviewerJobConfig config,
            OutputTag<Row> candidates,
            OutputTag<Row> labels,
            OutputTag<Row> onlineUsers,
            OutputTag<Row> onlinePaths,
            OutputTag<Row> late,
            boolean onRocksDb) {
        super(ReviewerInput.class, config.allowedLatenessMillis(), STREAM, late, "expiredProjects");
        this.config = config;
        this.candidates = candidates;
        this.labels = labels;
        this.onlineUsers = onlineUsers;
        this.onlinePaths = onlinePaths;
        this.onRocksDb = onRocksDb;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        engine = new ReviewerFeatureEngine(new ReviewerFeatureSet(config));
        buckets = config.userBuckets() > 0;
        // With buckets the project's own tiles are per user only, one key per user: no mirror of tile keys pays.
        projectState = new MapStateReviewerState(
                getRuntimeContext(),
                new RankedUsersMirror(MAX_MIRRORED_USERS),
                buckets ? null : TileKeysMirror.ofSubtask(onRocksDb, LOG));
        candidateRows = getRuntimeContext().getMetricGroup().counter("candidateRows");
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ReviewerTileWork> out) throws Exception {
        projectState.setProject(ctx.getCurrentKey()); // every state access is in a timer (inputs are buffered)
        super.onTimer(timestamp, ctx, out);
    }

    @Override
    protected void apply(ReviewerInput input, Context ctx, Collector<ReviewerTileWork> out) throws Exception {
        ReviewerOutput output = buckets ? engine.applyProject(projectState, input) : engine.apply(projectState, input);
        for (Object[] row : output.candidateRows()) {
            candidateRows.inc();
            ctx.output(candidates, Row.of(row));
        }
        for (Object[] row : output.labelRows()) {
            ctx.output(labels, Row.of(row));
        }
        for (Object[] row : output.onlineUserRows()) {
            ctx.output(onlineUsers, Row.of(row));
        }
        for (Object[] row : output.onlinePathRows()) {
            ctx.output(onlinePaths, Row.of(row));
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
        if (buckets ? engine.expireProject(projectState, watermark) : engine.expire(projectState, watermark)) {
            projectState.clear();
            return true;
        }
        return false;
    }
}
