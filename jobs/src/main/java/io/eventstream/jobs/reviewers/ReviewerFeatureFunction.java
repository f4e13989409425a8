package io.eventstream.jobs.reviewers;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.reviewers.ReviewerFeatureEngine;
import io.eventstream.features.reviewers.ReviewerInput;
import io.eventstream.features.reviewers.ReviewerOutput;
import io.eventstream.features.reviewers.ReviewerTileWork;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reviewer features of one project: applies the project's events in {@code (time, id)} order to
 * the project's state (users, open merge requests, branches and their paths, tiles: on RocksDB each an
 * entry of a {@code MapState}, {@link MapStateReviewerState}, so an event reads and writes only what it
 * touches; on the heap one value, {@link ValueReviewerState}), and emits label rows and the changed
 * online user rows (side outputs).
 *
 * <p>With {@code state.user_buckets} 0 the state is the whole project's
 * ({@link ReviewerFeatureEngine#apply}): candidate rows and online prefix rows go to side outputs
 * too, and the main output stays empty. With N > 0 the path, prefix and pair tiles are kept by
 * {@link ReviewerBucketFunction} per user bucket ({@link ReviewerFeatureEngine#applyProject}): the main
 * output is each event's {@link ReviewerTileWork} per bucket with work, which completes the candidate
 * rows and writes the online prefix rows there.
 */
public final class ReviewerFeatureFunction extends ReviewerStateFunction<ReviewerInput, ReviewerTileWork> {
    private static final long serialVersionUID = 1L;

    static final String STREAM = "reviewer_input";
    /**
     * The most user records a subtask mirrors for ranking (about 120 bytes each on the heap: some 30 MB),
     * over all projects: far more than a hot project has (some 2,600 users after 30 days), so only
     * projects not ranked lately are evicted and rebuilt from state.
     */
    private static final long MAX_MIRRORED_USERS = 250_000;

    private static final Logger LOG = LoggerFactory.getLogger(ReviewerFeatureFunction.class);

    private final OutputTag<Row> candidates;
    private final OutputTag<Row> labels;
    private final OutputTag<Row> onlineUsers;
    private final OutputTag<Row> onlinePaths;
    private final boolean buckets;

    /**
     * @param candidates   side output of the candidate rows, with {@code state.user_buckets} 0
     * @param onlinePaths  side output of the online prefix rows, with {@code state.user_buckets} 0
     * @param onRocksDb    whether keyed state is in RocksDB: then it is kept per entry, and the project's own
     *                     path, prefix and pair tile keys are mirrored in memory ({@link TileKeysMirror})
     */
    public ReviewerFeatureFunction(
            ReviewerJobConfig config,
            OutputTag<Row> candidates,
            OutputTag<Row> labels,
            OutputTag<Row> onlineUsers,
            OutputTag<Row> onlinePaths,
            OutputTag<Row> late,
            boolean onRocksDb) {
        super(ReviewerInput.class, config, STREAM, late, "expiredProjects", onRocksDb);
        this.candidates = candidates;
        this.labels = labels;
        this.onlineUsers = onlineUsers;
        this.onlinePaths = onlinePaths;
        this.buckets = config.userBuckets() > 0;
    }

    @Override
    protected MapStateReviewerState createPerEntryState() {
        // With buckets the project's own tiles are per user only, one key per user: no mirror of tile keys pays.
        return new MapStateReviewerState(
                getRuntimeContext(),
                new RankedUsersMirror(MAX_MIRRORED_USERS),
                buckets ? null : TileKeysMirror.ofSubtask(onRocksDb, LOG));
    }

    @Override
    protected void apply(ReviewerInput input, Context ctx, Collector<ReviewerTileWork> out) {
        ReviewerOutput output = buckets ? engine.applyProject(state, input) : engine.apply(state, input);
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
    protected boolean expire(long watermark) {
        return buckets ? engine.expireProject(state, watermark) : engine.expire(state, watermark);
    }
}
