package io.eventstream.jobs.reviewers;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.reviewers.ReviewerFeatureEngine;
import io.eventstream.features.reviewers.ReviewerOutput;
import io.eventstream.features.reviewers.ReviewerTileWork;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reviewer features of one user bucket of a project ({@link ReviewerTileWork#key()}), with
 * {@code state.user_buckets} N > 0: applies the bucket's work from {@link ReviewerFeatureFunction} to
 * the bucket's path, prefix and pair tiles ({@link ReviewerFeatureEngine#applyTiles}), and emits the
 * candidate rows of the bucket's candidates (main output) and the changed online prefix rows (side
 * output). A busy project's candidate columns and rows so spread over as many subtasks as its buckets
 * land on.
 *
 * <p>The work of a bucket comes from its project's subtask of the first function once that one applied
 * its event, so none is late here. It is still buffered until the watermark passes its due time, as
 * the first function buffers events: a subtask's timers fire in time order over all its keys, so its
 * rows reach the dataset writers in time order, one part file per hour. Applied as they arrive, the
 * work of the first function's subtasks would interleave over many hours at a time, and the writers,
 * which keep only a few hours open, would write several times as many part files.
 */
public final class ReviewerBucketFunction extends ReviewerStateFunction<ReviewerTileWork, Row> {
    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(ReviewerBucketFunction.class);

    private final OutputTag<Row> onlinePaths;

    /**
     * @param onRocksDb  whether keyed state is in RocksDB: then it is kept per entry, and stored tile keys are
     *                   mirrored ({@link TileKeysMirror})
     */
    public ReviewerBucketFunction(
            ReviewerJobConfig config, OutputTag<Row> onlinePaths, OutputTag<Row> late, boolean onRocksDb) {
        super(ReviewerTileWork.class, config, "reviewer_bucket_work", late, "expiredBuckets", onRocksDb);
        this.onlinePaths = onlinePaths;
    }

    @Override
    protected MapStateReviewerState createPerEntryState() {
        // No user records here: the ranking mirror only ever hears that a bucket is cleared.
        return new MapStateReviewerState(
                getRuntimeContext(), new RankedUsersMirror(0), TileKeysMirror.ofSubtask(onRocksDb, LOG));
    }

    @Override
    protected void apply(ReviewerTileWork work, Context ctx, Collector<Row> out) {
        ReviewerOutput output = engine.applyTiles(state, work);
        for (Object[] row : output.candidateRows()) {
            candidateRows.inc();
            out.collect(Row.of(row));
        }
        for (Object[] row : output.onlinePathRows()) {
            ctx.output(onlinePaths, Row.of(row));
        }
    }

    @Override
    protected boolean expire(long watermark) {
        return engine.expireTiles(state, watermark);
    }
}
