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
 * <p>The work of a bucket comes from its project's subtask of the first part once that part applied
 * its event, so none is late here. It is still buffered until the watermark passes its due time, as
 * the first part buffers events: a subtask's timers fire in time order over all its keys, so its rows
 * reach the dataset writers in time order, one part file per hour. Applied as they arrive, the work
 * of the first part's subtasks would interleave over many hours at a time, and the writers, which
 * keep only a few hours open, would write several times as many part files.
 */
public final class ReviewerBucketFunction extends EventTimeOrderedFunction<ReviewerTileWork, Row> {
    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(ReviewerBucketFunction.class);

    private final ReviewerJobConfig config;
    private final OutputTag<Row> onlinePaths;
    private final boolean onRocksDb;

    private transient ReviewerFeatureEngine engine;
    private transient MapStateReviewerState bucketState;
    private transient Counter candidateRows;

    /** @param onRocksDb  whether keyed state is in RocksDB: then stored tile keys are mirrored ({@link TileKeysMirror}) */
    public ReviewerBucketFunction(
            ReviewerJobConfig config, OutputTag<Row> onlinePaths, OutputTag<Row> late, boolean onRocksDb) {
        super(ReviewerTileWork.class, config.allowedLatenessMillis(), "reviewer_bucket_work", late, "expiredBuckets");
        this.config = config;
        this.onlinePaths = onlinePaths;
        this.onRocksDb = onRocksDb;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        engine = new ReviewerFeatureEngine(new ReviewerFeatureSet(config));
        // No user records here: the ranking mirror only ever hears that a bucket is cleared.
        bucketState = new MapStateReviewerState(
                getRuntimeContext(), new RankedUsersMirror(0), TileKeysMirror.ofSubtask(onRocksDb, LOG));
        candidateRows = getRuntimeContext().getMetricGroup().counter("candidateRows");
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Row> out) throws Exception {
        bucketState.setProject(ctx.getCurrentKey()); // every state access is in a timer (work is buffered)
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
