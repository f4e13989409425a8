package io.eventstream.jobs.reviewers;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.events.OrderedInput;
import io.eventstream.features.reviewers.ReviewerFeatureEngine;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.reviewers.ReviewerState;
import io.eventstream.jobs.common.EventTimeOrderedFunction;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the reviewer job's keyed functions share: the engine, the current key's state (every access in
 * a timer, as inputs are buffered), its expiry, and the {@code candidateRows} counter.
 *
 * <p>The state's layout follows the backend: per entry on RocksDB ({@link MapStateReviewerState}), one
 * value per key on the heap ({@link ValueReviewerState}). A savepoint taken on one backend and restored
 * on the other holds the other layout: the first callback of each key after a start moves that key's
 * state over (once per key and subtask: one read of the other layout's header).
 */
abstract class ReviewerStateFunction<I extends OrderedInput, O> extends EventTimeOrderedFunction<I, O> {
    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(ReviewerStateFunction.class);

    protected final ReviewerJobConfig config;
    /** Whether keyed state is in RocksDB: then the state is kept per entry, and tile keys are mirrored. */
    protected final boolean onRocksDb;

    protected transient ReviewerFeatureEngine engine;
    protected transient ReviewerKeyedState state;
    protected transient Counter candidateRows;
    /** The layout not in use: where a savepoint of the other backend left the keys' state. */
    private transient ReviewerKeyedState otherLayout;
    /** The keys this subtask looked for in {@link #otherLayout} since it started (about 16 bytes a key). */
    private transient LongOpenHashSet keysLookedUp;
    /** Whether this subtask moved a key's state from {@link #otherLayout} (it logs the first only). */
    private transient boolean movedAKey;

    ReviewerStateFunction(
            Class<I> inputType,
            ReviewerJobConfig config,
            String stream,
            OutputTag<Row> late,
            String expiredKeysMetric,
            boolean onRocksDb) {
        super(inputType, config.allowedLatenessMillis(), stream, late, expiredKeysMetric);
        this.config = config;
        this.onRocksDb = onRocksDb;
    }

    /** The per-entry state of the function's keys, made once per subtask. */
    protected abstract MapStateReviewerState createPerEntryState();

    /** Expires the current key's state as {@link ReviewerFeatureEngine#expire} and its siblings do. */
    protected abstract boolean expire(long watermark);

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        engine = new ReviewerFeatureEngine(new ReviewerFeatureSet(config));
        MapStateReviewerState perEntry = createPerEntryState();
        ValueReviewerState whole = new ValueReviewerState(getRuntimeContext());
        state = onRocksDb ? perEntry : whole;
        otherLayout = onRocksDb ? whole : perEntry;
        keysLookedUp = new LongOpenHashSet();
        candidateRows = getRuntimeContext().getMetricGroup().counter("candidateRows");
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {
        long key = ctx.getCurrentKey(); // every state access is in a timer (inputs are buffered)
        state.setProject(key);
        if (keysLookedUp.add(key)) {
            takeOverOtherLayout(key);
        }
        super.onTimer(timestamp, ctx, out);
        state.flush();
    }

    private void takeOverOtherLayout(long key) {
        otherLayout.setProject(key);
        if (otherLayout.header().isEmpty()) {
            return;
        }
        if (!movedAKey) { // once per subtask: a restore may move every key
            movedAKey = true;
            LOG.info(
                    "{}: key {} has reviewer state in the {} layout (a savepoint of the other state backend):"
                            + " moving it, and every other such key at its first callback, to the {} layout",
                    getRuntimeContext().getTaskInfo().getTaskNameWithSubtasks(),
                    key,
                    layoutName(otherLayout),
                    layoutName(state));
        }
        ReviewerState.copy(otherLayout, state);
        otherLayout.clear();
        otherLayout.flush();
    }

    private static String layoutName(ReviewerKeyedState layout) {
        return layout instanceof ValueReviewerState ? "one-value (heap backend)" : "per-entry (RocksDB)";
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
