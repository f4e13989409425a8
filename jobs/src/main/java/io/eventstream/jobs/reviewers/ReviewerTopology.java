package io.eventstream.jobs.reviewers;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.parquet.DatasetRows;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.reviewers.ReviewerInput;
import io.eventstream.jobs.common.Deduplication;
import io.eventstream.jobs.common.IdentifiedEvents;
import io.eventstream.jobs.common.LateRows;
import io.eventstream.jobs.common.RawEventTime;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.types.Row;
import org.apache.flink.util.OutputTag;

/**
 * The reviewer-recommendation topology, built from whatever stream of raw records it is given, in
 * the shape of the spam job: decode and reduce, event-time watermarks, one keyed function per
 * project that applies events in {@code (time, id)} order. Sinks are attached by
 * {@link ReviewerOutputs}.
 *
 * <pre>
 * raw (watermarks per split) ─ ingest ─┬─ keyBy(source, id) ─ dedup ─┬─ inputs ─ keyBy(project) ─ features ─┬─ candidate rows
 *                                     │                              │                                       ├─ label rows
 *                                     │                              │                                       ├─ online (project, user) rows
 *                                     │                              │                                       ├─ online (project, user, path prefix) rows
 *                                     │                              │                                       └─ late events
 *                                     │                              └─ dead letters (conflicting duplicates)
 *                                     └─ dead letters
 * </pre>
 *
 * <p>Deduplication by {@code (source, id)} ({@link Deduplication}) comes before any project state:
 * a redelivered event counts once.
 */
public final class ReviewerTopology {

    /** The streams the topology produces; every one of them goes to an output. */
    public record Streams(
            DataStream<Row> candidates,
            DataStream<Row> labels,
            DataStream<Row> onlineUsers,
            DataStream<Row> onlinePaths,
            DataStream<Row> lateEvents,
            DataStream<DeadLetter> deadLetters) {
    }

    private ReviewerTopology() {
    }

    /**
     * The watermarks the raw stream must carry, generated per source split (see
     * {@link RawEventTime}): {@code env.fromSource(source, ReviewerTopology.watermarks(config), name)}.
     */
    public static WatermarkStrategy<RawEvent> watermarks(ReviewerJobConfig config) {
        return RawEventTime.watermarks(config.maxOutOfOrdernessMillis(), config.idlenessMillis(),
                config.maxFutureMillis());
    }

    /** The topology over {@code raw}, which must come from a source with {@link #watermarks}. */
    public static Streams define(DataStream<RawEvent> raw, ReviewerJobConfig config) {
        ReviewerFeatureSet featureSet = new ReviewerFeatureSet(config);
        OutputTag<DeadLetter> deadLettersTag = new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
        OutputTag<Row> labelsTag = new OutputTag<>("reviewer-labels", DatasetRows.typeInfo(featureSet.labelSchema()));
        OutputTag<Row> onlineUsersTag = new OutputTag<>("reviewer-online-users",
                DatasetRows.typeInfo(featureSet.onlineUserSchema()));
        OutputTag<Row> onlinePathsTag = new OutputTag<>("reviewer-online-paths",
                DatasetRows.typeInfo(featureSet.onlinePathSchema()));
        OutputTag<Row> lateTag = new OutputTag<>("late-reviewer-inputs", DatasetRows.typeInfo(LateRows.SCHEMA));

        SingleOutputStreamOperator<Row> identified = raw
                .process(new ReviewerIngestFunction(CloudEventJson.DEFAULT_MAX_BYTES, config.maxFutureMillis(),
                        deadLettersTag))
                .returns(IdentifiedEvents.typeInfo(TypeInformation.of(ReviewerInput.class)))
                .name("decode and reduce events")
                .uid("reviewer-ingest");

        SingleOutputStreamOperator<Row> deduplicated = identified
                .keyBy(IdentifiedEvents::key, Types.STRING)
                .process(new Deduplication(config.dedupHorizonMillis(), deadLettersTag))
                .returns(identified.getType())
                .name("deduplicate by source and id")
                .uid("reviewer-dedup");

        SingleOutputStreamOperator<ReviewerInput> inputs = deduplicated
                .map(event -> IdentifiedEvents.<ReviewerInput>payload(event, 0))
                .returns(TypeInformation.of(ReviewerInput.class))
                .name("reviewer inputs")
                .uid("reviewer-split");

        SingleOutputStreamOperator<Row> candidates = inputs
                .keyBy(input -> input.projectId, TypeInformation.of(Long.class))
                .process(new ReviewerFeatureFunction(config, labelsTag, onlineUsersTag, onlinePathsTag, lateTag))
                .returns(DatasetRows.typeInfo(featureSet.candidateSchema()))
                .name("reviewer features per project")
                .uid("reviewer-features");

        return new Streams(
                candidates,
                candidates.getSideOutput(labelsTag),
                candidates.getSideOutput(onlineUsersTag),
                candidates.getSideOutput(onlinePathsTag),
                candidates.getSideOutput(lateTag),
                identified.getSideOutput(deadLettersTag).union(deduplicated.getSideOutput(deadLettersTag)));
    }
}
