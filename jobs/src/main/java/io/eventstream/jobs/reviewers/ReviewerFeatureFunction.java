package io.eventstream.jobs.reviewers;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.reviewers.ReviewerFeatureEngine;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.reviewers.ReviewerInput;
import io.eventstream.features.reviewers.ReviewerOutput;
import io.eventstream.features.reviewers.ReviewerProjectState;
import io.eventstream.jobs.common.EventTimeOrderedFunction;
import io.eventstream.jobs.common.LateEventMetrics;
import io.eventstream.jobs.common.LateRows;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The reviewer features of one project: applies the project's events in {@code (time, id)} order
 * to one state value (members, open merge requests, branches and their paths, every tile), and
 * emits candidate rows (main output), label rows and the changed online rows (side outputs).
 */
public final class ReviewerFeatureFunction extends EventTimeOrderedFunction<Long, ReviewerInput, Row> {
    private static final long serialVersionUID = 1L;

    static final String STREAM = "reviewer_input";

    private final ReviewerJobConfig config;
    private final OutputTag<Row> labels;
    private final OutputTag<Row> onlineUsers;
    private final OutputTag<Row> onlinePaths;
    private final OutputTag<Row> late;

    private transient ReviewerFeatureEngine engine;
    private transient ValueState<ReviewerProjectState> projectState;
    private transient Counter candidateRows;
    private transient Counter lateEvents;
    private transient Counter expiredProjects;

    public ReviewerFeatureFunction(ReviewerJobConfig config, OutputTag<Row> labels, OutputTag<Row> onlineUsers,
            OutputTag<Row> onlinePaths, OutputTag<Row> late) {
        super(TypeInformation.of(ReviewerInput.class), config.allowedLatenessMillis());
        this.config = config;
        this.labels = labels;
        this.onlineUsers = onlineUsers;
        this.onlinePaths = onlinePaths;
        this.late = late;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        engine = new ReviewerFeatureEngine(new ReviewerFeatureSet(config));
        projectState = getRuntimeContext().getState(
                new ValueStateDescriptor<>("reviewer-project", ReviewerProjectStateSerializer.INSTANCE));
        candidateRows = getRuntimeContext().getMetricGroup().counter("candidateRows");
        lateEvents = LateEventMetrics.counter(getRuntimeContext().getMetricGroup(), STREAM);
        expiredProjects = getRuntimeContext().getMetricGroup().counter("expiredProjects");
    }

    @Override
    protected long timeOf(ReviewerInput input) {
        return input.timeMillis;
    }

    @Override
    protected String idOf(ReviewerInput input) {
        return input.eventId;
    }

    @Override
    protected void apply(ReviewerInput input, Context ctx, Collector<Row> out) throws Exception {
        ReviewerProjectState state = projectState.value();
        if (state == null) {
            state = engine.newState();
        }
        ReviewerOutput output = engine.apply(state, input);
        projectState.update(state);
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
    protected void late(ReviewerInput input, long watermark, Context ctx) {
        lateEvents.inc();
        ctx.output(late, LateRows.row(input.eventId, STREAM, input.timeMillis, input.projectId, watermark));
    }

    @Override
    protected long nextExpiryWatermark() throws Exception {
        ReviewerProjectState state = projectState.value();
        return state == null ? Long.MIN_VALUE : engine.expiryWatermark(state);
    }

    @Override
    protected boolean expireState(long watermark) throws Exception {
        ReviewerProjectState state = projectState.value();
        if (state == null || engine.expire(state, watermark)) {
            projectState.clear();
            expiredProjects.inc();
            return true;
        }
        projectState.update(state);
        return false;
    }
}
