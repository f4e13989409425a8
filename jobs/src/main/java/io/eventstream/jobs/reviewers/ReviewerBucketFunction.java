package io.eventstream.jobs.reviewers;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.reviewers.ReviewerFeatureEngine;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
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
 * The reviewer features of one user bucket of a project ({@link ReviewerTileWork#key()}), second
 * part: applies the bucket's work from {@link ReviewerFeatureFunction} to the bucket's path, prefix
 * and pair tiles ({@link ReviewerFeatureEngine#applyTiles}), and emits the candidate rows of the
 * bucket's candidates (main output) and the changed online prefix rows (side output). A busy
 * project's candidate columns and rows so spread over as many subtasks as its buckets land on.
 *
 * <p>The work of a bucket comes from its project's subtask of the first part, in the order that
 * applied it and once that order is final, so it is applied as it arrives.
 */
public final class ReviewerBucketFunction extends EventTimeOrderedFunction<ReviewerTileWork, Row> {
    private static final long serialVersionUID = 1L;

    /**
     * The most stored tile keys (path, prefix and pair groups) a subtask mirrors, over all buckets: about
     * 16 MB at fastutil's 16 bytes or so per key; a bucket's group with more is read from state directly.
     */
    private static final long MAX_MIRRORED_TILE_KEYS = 1_000_000;

    private static final Logger LOG = LoggerFactory.getLogger(ReviewerBucketFunction.class);

    private final ReviewerJobConfig config;
    private final OutputTag<Row> onlinePaths;
    private final boolean mirrorTileKeys;

    private transient ReviewerFeatureEngine engine;
    private transient MapStateReviewerState bucketState;
    private transient Counter candidateRows;

    /**
     * @param mirrorTileKeys  whether to keep a {@link TileKeysMirror}: on RocksDB, where a read of an
     *                        absent tile key is a native lookup, it answers most of an emission's reads from
     *                        memory; on the heap the state is in memory already: no gain showed there,
     *                        for the mirror's memory and its probe before every stored key's read
     */
    public ReviewerBucketFunction(
            ReviewerJobConfig config, OutputTag<Row> onlinePaths, OutputTag<Row> late, boolean mirrorTileKeys) {
        super(
                ReviewerTileWork.class,
                config.allowedLatenessMillis(),
                "reviewer_bucket_work",
                late,
                "expiredBuckets",
                true);
        this.config = config;
        this.onlinePaths = onlinePaths;
        this.mirrorTileKeys = mirrorTileKeys;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        engine = new ReviewerFeatureEngine(new ReviewerFeatureSet(config));
        // No user records here: the ranking mirror only ever hears that a bucket is cleared.
        bucketState = new MapStateReviewerState(
                getRuntimeContext(),
                new RankedUsersMirror(0),
                mirrorTileKeys ? new TileKeysMirror(MAX_MIRRORED_TILE_KEYS) : null);
        if (mirrorTileKeys) {
            LOG.info("Reviewer features: stored tile keys mirrored in memory (at most {})", MAX_MIRRORED_TILE_KEYS);
        }
        candidateRows = getRuntimeContext().getMetricGroup().counter("candidateRows");
    }

    @Override
    public void processElement(ReviewerTileWork work, Context ctx, Collector<Row> out) throws Exception {
        bucketState.setProject(ctx.getCurrentKey());
        super.processElement(work, ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Row> out) throws Exception {
        bucketState.setProject(ctx.getCurrentKey());
        super.onTimer(timestamp, ctx, out);
    }

    @Override
    protected void apply(ReviewerTileWork work, Context ctx, Collector<Row> out) {
        ReviewerOutput output = engine.applyTiles(bucketState, work);
        for (Object[] row : output.candidateRows()) {
            candidateRows.inc();
            out.collect(Row.of(row));
        }
        for (Object[] row : output.onlinePathRows()) {
            ctx.output(onlinePaths, Row.of(row));
        }
    }

    @Override
    protected long nextExpiryWatermark() {
        return engine.expiryWatermark(bucketState);
    }

    @Override
    protected boolean expireState(long watermark) {
        if (engine.expireTiles(bucketState, watermark)) {
            bucketState.clear();
            return true;
        }
        return false;
    }
}
