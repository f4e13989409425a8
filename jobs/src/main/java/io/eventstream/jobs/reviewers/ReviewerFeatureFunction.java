package io.eventstream.jobs.reviewers;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.reviewers.ReviewerFeatureEngine;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.reviewers.ReviewerInput;
import io.eventstream.features.reviewers.ReviewerOutput;
import io.eventstream.jobs.common.EventTimeOrderedFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reviewer features of one project: applies the project's events in {@code (time, id)} order
 * to the project's state ({@link MapStateReviewerState}: users, open merge requests, branches and
 * their paths, tiles, each an entry of a {@code MapState}, so an event reads and writes only what it
 * touches), and emits candidate rows (main output), label rows and the changed online rows (side
 * outputs).
 */
public final class ReviewerFeatureFunction extends EventTimeOrderedFunction<ReviewerInput, Row> {
    private static final long serialVersionUID = 1L;

    static final String STREAM = "reviewer_input";
    /**
     * The most user records a subtask mirrors for ranking (about 120 bytes each on the heap: some 30 MB),
     * over all projects: far more than a hot project has (some 2,600 users after 30 days), so only
     * projects not ranked lately are evicted and rebuilt from state.
     */
    private static final long MAX_MIRRORED_USERS = 250_000;
    /**
     * The most stored tile keys (path, prefix and pair groups) a subtask mirrors, over all projects: about
     * 16 MB at fastutil's 16 bytes or so per key; a project group with more is read from state directly.
     */
    private static final long MAX_MIRRORED_TILE_KEYS = 1_000_000;

    private static final Logger LOG = LoggerFactory.getLogger(ReviewerFeatureFunction.class);

    private final ReviewerJobConfig config;
    private final OutputTag<Row> labels;
    private final OutputTag<Row> onlineUsers;
    private final OutputTag<Row> onlinePaths;
    private final boolean mirrorTileKeys;

    private transient ReviewerFeatureEngine engine;
    private transient MapStateReviewerState projectState;
    private transient Counter candidateRows;

    /**
     * @param mirrorTileKeys  whether to keep a {@link TileKeysMirror}: on RocksDB, where a read of an
     *                        absent tile key is a native lookup, it answers most of an emission's reads from
     *                        memory; on the heap the state is in memory already: no gain showed there,
     *                        for the mirror's memory and its probe before every stored key's read
     */
    public ReviewerFeatureFunction(
            ReviewerJobConfig config,
            OutputTag<Row> labels,
            OutputTag<Row> onlineUsers,
            OutputTag<Row> onlinePaths,
            OutputTag<Row> late,
            boolean mirrorTileKeys) {
        super(ReviewerInput.class, config.allowedLatenessMillis(), STREAM, late, "expiredProjects");
        this.config = config;
        this.labels = labels;
        this.onlineUsers = onlineUsers;
        this.onlinePaths = onlinePaths;
        this.mirrorTileKeys = mirrorTileKeys;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        engine = new ReviewerFeatureEngine(new ReviewerFeatureSet(config));
        projectState = new MapStateReviewerState(
                getRuntimeContext(),
                new RankedUsersMirror(MAX_MIRRORED_USERS),
                mirrorTileKeys ? new TileKeysMirror(MAX_MIRRORED_TILE_KEYS) : null);
        if (mirrorTileKeys) {
            LOG.info("Reviewer features: stored tile keys mirrored in memory (at most {})", MAX_MIRRORED_TILE_KEYS);
        }
        candidateRows = getRuntimeContext().getMetricGroup().counter("candidateRows");
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Row> out) throws Exception {
        projectState.setProject(ctx.getCurrentKey()); // every state access is in a timer (inputs are buffered)
        super.onTimer(timestamp, ctx, out);
    }

    @Override
    protected void apply(ReviewerInput input, Context ctx, Collector<Row> out) throws Exception {
        ReviewerOutput output = engine.apply(projectState, input);
        for (Object[] row : output.candidateRows()) {
            candidateRows.inc();
            out.collect(Row.of(row));
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
    }

    @Override
    protected long nextExpiryWatermark() throws Exception {
        return engine.expiryWatermark(projectState);
    }

    @Override
    protected boolean expireState(long watermark) throws Exception {
        if (engine.expire(projectState, watermark)) {
            projectState.clear();
            return true;
        }
        return false;
    }
}
