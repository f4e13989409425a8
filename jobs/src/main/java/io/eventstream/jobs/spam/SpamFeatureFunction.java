package io.eventstream.jobs.spam;

import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.spam.SpamFeatureEngine;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.features.spam.SpamUserState;
import io.eventstream.jobs.common.CompactStateSerializer;
import io.eventstream.jobs.common.EventTimeOrderedFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The spam features of one user: applies the user's events in {@code (time, id)} order to one
 * state value holding the profile and all window tiles, and emits a feature row per content event
 * (main output) plus the user's latest online values (side output). A user's state is dropped
 * once the user has been inactive for {@code state.ttl}, so state cannot grow forever.
 */
public final class SpamFeatureFunction extends EventTimeOrderedFunction<SpamInput, Row> {
    private static final long serialVersionUID = 1L;

    static final String STREAM = "spam_input";

    private final SpamJobConfig config;
    private final OutputTag<Row> online;
    private final OutputTag<Row> stateRows;

    private transient SpamFeatureEngine engine;
    private transient ValueState<SpamUserState> userState;
    private transient Counter featureRows;

    public SpamFeatureFunction(SpamJobConfig config, OutputTag<Row> online, OutputTag<Row> late) {
        this(config, online, late, null);
    }

    /**
     * @param stateRows side output for the {@code spam_user_state} rows (the user's encoded state
     *                  after each of the user's event times), or null for none
     */
    public SpamFeatureFunction(
            SpamJobConfig config, OutputTag<Row> online, OutputTag<Row> late, OutputTag<Row> stateRows) {
        super(SpamInput.class, config.allowedLatenessMillis(), STREAM, late, "expiredUsers");
        this.config = config;
        this.online = online;
        this.stateRows = stateRows;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        engine = new SpamFeatureEngine(new SpamFeatureSet(config));
        userState =
                getRuntimeContext().getState(new ValueStateDescriptor<>("spam-user", CompactStateSerializer.SPAM_USER));
        featureRows = getRuntimeContext().getMetricGroup().counter("featureRows");
    }

    @Override
    protected void apply(SpamInput input, Context ctx, Collector<Row> out) throws Exception {
        SpamUserState state = userState.value();
        if (state == null) {
            state = new SpamUserState();
        }
        Object[] row = engine.apply(state, input);
        userState.update(state);
        if (row != null) {
            featureRows.inc();
            out.collect(Row.of(row));
            ctx.output(online, Row.of(engine.onlineRow(row)));
        }
    }

    /**
     * One state row per user and batch of due inputs, after all of them: a batch ends at an event
     * time of the user (its inputs at one time are due together), so rows of a user have strictly
     * increasing event times and newest-wins upserts keep the state after the user's latest time.
     */
    @Override
    protected void applied(Context ctx, Collector<Row> out) throws Exception {
        if (stateRows == null) {
            return;
        }
        SpamUserState state = userState.value();
        if (state != null) {
            Object[] row = engine.stateRow(ctx.getCurrentKey(), state);
            if (row != null) {
                ctx.output(stateRows, Row.of(row));
            }
        }
    }

    @Override
    protected long nextExpiryWatermark() throws Exception {
        SpamUserState state = userState.value();
        return state == null ? Long.MIN_VALUE : engine.expiryWatermark(state);
    }

    @Override
    protected boolean expireState(long watermark) throws Exception {
        SpamUserState state = userState.value();
        if (state == null || engine.expire(state, watermark)) {
            userState.clear();
            return true;
        }
        userState.update(state);
        return false;
    }
}
