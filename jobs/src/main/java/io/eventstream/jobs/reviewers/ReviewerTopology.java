package io.eventstream.jobs.reviewers;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.parquet.DatasetRows;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.reviewers.ReviewerInput;
import io.eventstream.features.reviewers.ReviewerTileWork;
import io.eventstream.jobs.common.Deduplication;
import io.eventstream.jobs.common.IdentifiedEvents;
import io.eventstream.jobs.common.LateRows;
import io.eventstream.jobs.common.RawEventSource;
import io.eventstream.jobs.common.RawEventTime;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.OutputTag;

/**
 * The reviewer-recommendation topology, built from whatever stream of raw records it is given, in
 * the shape of the spam job: decode and reduce, event-time watermarks, one keyed function per
 * project that applies events in {@code (time, id)} order and, with {@code state.user_buckets} N > 0,
 * a second one per user bucket of a project that keeps the path, prefix and pair counts of the
 * bucket's users and completes the rows of its candidates. Sinks are attached by
 * {@link ReviewerOutputs}.
 *
 * <pre>
 * raw (watermarks per split) ─ ingest ─┬─ keyBy(source, id) ─ dedup ─┬─ inputs ─ keyBy(project) ─ project ─┬─ candidate rows ¹
 *                                     │                              │                                     ├─ online (project, user, path prefix) rows ¹
 *                                     │                              │                                     ├─ label rows
 *                                     │                              │                                     ├─ online (project, user) rows
 *                                     │                              │                                     ├─ late events
 *                                     │                              │                                     └─ work ² ─ keyBy(project, bucket) ─ bucket ─┬─ candidate rows
 *                                     │                              │                                                                                  └─ online (project, user, path prefix) rows
 *                                     │                              ├─ dead letters (conflicting duplicates)
 *                                     │                              └─ late events (after the deduplication horizon)
 *                                     └─ dead letters
 * ¹ state.user_buckets 0   ² state.user_buckets N > 0
 * </pre>
 *
 * <p>Deduplication by {@code (source, id)} ({@link Deduplication}) comes before any project state:
 * a redelivered event counts once. With buckets, a project's candidate scan, merge requests and
 * branches stay one key; the per-path and per-pair work of its candidate rows (the bulk of a busy
 * project's) spreads over its buckets' keys, and so over up to as many subtasks.
 */
public final class ReviewerTopology {

    /** The streams the topology produces; every one of them goes to an output. */
    public record Streams(
            DataStream<Row> candidates,
            DataStream<Row> labels,
            DataStream<Row> onlineUsers,
            DataStream<Row> onlinePaths,
            DataStream<Row> lateEvents,
            DataStream<DeadLetter> deadLetters) {}

    private ReviewerTopology() {}

    /**
     * The reviewer job, defined once from where it reads and where it writes: the events of
     * {@code source}, with the config's watermarks per split ({@link RawEventTime}), through the
     * topology ({@link #define}) into every output. Every run, backfill, benchmark and test of
     * the job is built with this.
     *
     * @return the version directory of each dataset by name, on its filesystem
     */
    public static Map<String, org.apache.flink.core.fs.Path> defineWorkflow(
            StreamExecutionEnvironment env,
            RawEventSource source,
            ReviewerFeatureSet featureSet,
            ReviewerOutputs outputs) {
        DataStream<RawEvent> raw = source.create(env, RawEventTime.watermarks(featureSet.config()));
        return outputs.attachVersions(define(raw, featureSet), featureSet);
    }

    /** The late row of an event that came after the deduplication horizon, as the features would write it. */
    private static List<Row> lateRowsOf(Row event, long watermark) {
        ReviewerInput input = IdentifiedEvents.payload(event, 0);
        return List.of(LateRows.row(input, ReviewerFeatureFunction.STREAM, watermark));
    }

    /**
     * The topology over {@code raw}, which must carry the config's per-split watermarks.
     * {@code featureSet} is the job's one, also given to its outputs.
     */
    public static Streams define(DataStream<RawEvent> raw, ReviewerFeatureSet featureSet) {
        ReviewerJobConfig config = featureSet.config();
        OutputTag<DeadLetter> deadLettersTag = new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
        OutputTag<Row> labelsTag = new OutputTag<>("reviewer-labels", DatasetRows.typeInfo(featureSet.labelSchema()));
        OutputTag<Row> onlineUsersTag =
                new OutputTag<>("reviewer-online-users", DatasetRows.typeInfo(featureSet.onlineUserSchema()));
        OutputTag<Row> onlinePathsTag =
                new OutputTag<>("reviewer-online-paths", DatasetRows.typeInfo(featureSet.onlinePathSchema()));
        OutputTag<Row> lateTag = new OutputTag<>("late-reviewer-inputs", DatasetRows.typeInfo(LateRows.SCHEMA));

        SingleOutputStreamOperator<Row> identified = raw.process(new ReviewerIngestFunction(
                        CloudEventJson.DEFAULT_MAX_BYTES, config.maxFutureMillis(), deadLettersTag))
                .returns(IdentifiedEvents.typeInfo(TypeInformation.of(ReviewerInput.class)))
                .name("decode and reduce events")
                .uid("reviewer-ingest");

        SingleOutputStreamOperator<Row> deduplicated = Deduplication.deduplicate(
                identified,
                config.dedupHorizonMillis(),
                deadLettersTag,
                lateTag,
                ReviewerTopology::lateRowsOf,
                "reviewer-dedup");

        SingleOutputStreamOperator<ReviewerInput> inputs = deduplicated
                .map(event -> IdentifiedEvents.<ReviewerInput>payload(event, 0))
                .returns(TypeInformation.of(ReviewerInput.class))
                .name("reviewer inputs")
                .uid("reviewer-split");

        OutputTag<Row> candidatesTag =
                new OutputTag<>("reviewer-candidates", DatasetRows.typeInfo(featureSet.candidateSchema()));
        SingleOutputStreamOperator<ReviewerTileWork> projects = inputs.keyBy(
                        input -> input.projectId, TypeInformation.of(Long.class))
                .process(new ReviewerFeatureFunction(
                        config, candidatesTag, labelsTag, onlineUsersTag, onlinePathsTag, lateTag, onRocksDb(raw)))
                .returns(TypeInformation.of(ReviewerTileWork.class))
                .name("reviewer features per project")
                .uid("reviewer-features");

        DataStream<Row> candidates = projects.getSideOutput(candidatesTag);
        DataStream<Row> onlinePaths = projects.getSideOutput(onlinePathsTag);
        if (config.userBuckets() > 0) {
            SingleOutputStreamOperator<Row> buckets = projects.keyBy(
                            ReviewerTileWork::key, TypeInformation.of(Long.class))
                    .process(new ReviewerBucketFunction(config, onlinePathsTag, lateTag, onRocksDb(raw)))
                    .returns(DatasetRows.typeInfo(featureSet.candidateSchema()))
                    .name("reviewer features per user bucket")
                    .uid("reviewer-bucket-features");
            candidates = buckets;
            onlinePaths = buckets.getSideOutput(onlinePathsTag);
        }

        return new Streams(
                candidates,
                projects.getSideOutput(labelsTag),
                projects.getSideOutput(onlineUsersTag),
                onlinePaths,
                projects.getSideOutput(lateTag).union(deduplicated.getSideOutput(lateTag)),
                identified.getSideOutput(deadLettersTag).union(deduplicated.getSideOutput(deadLettersTag)));
    }

    /**
     * Whether the job's keyed state is configured to be in RocksDB ({@code state.backend.type}: the
     * CLI's {@code --state-backend rocksdb}, or the configuration {@code flink run} submits with).
     * Only a speed setting depends on it (the mirror of stored tile keys); the rows do not.
     */
    private static boolean onRocksDb(DataStream<RawEvent> raw) {
        return "rocksdb"
                .equalsIgnoreCase(
                        raw.getExecutionEnvironment().getConfiguration().get(StateBackendOptions.STATE_BACKEND));
    }
}
