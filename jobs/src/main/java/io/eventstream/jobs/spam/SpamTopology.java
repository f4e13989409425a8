package io.eventstream.jobs.spam;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.parquet.DatasetRows;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.config.HashKeyId;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.common.Deduplication;
import io.eventstream.jobs.common.IdentifiedEvents;
import io.eventstream.jobs.common.LateRowFilter;
import io.eventstream.jobs.common.LateRows;
import io.eventstream.jobs.common.RawEventSource;
import io.eventstream.jobs.common.RawEventTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.OutputTag;

/**
 * The spam features topology, built from whatever stream of raw records it is given (Kafka or
 * JSON-lines files: the same operators either way). Sinks are attached by the caller
 * ({@link SpamOutputs}), so tests run the production topology with the production sinks.
 *
 * <pre>
 * raw (watermarks per split) ─ ingest (decode, refuse future times, reduce text) ─┬─ keyBy(source, id) ─ dedup ─ split ─┬─ inputs ─ keyBy(user) ─ features ─┬─ feature rows
 *                                                                                  │                       │                  │                                   ├─ online rows
 *                                                                                  │                       │                  │                                   ├─ online state rows
 *                                                                                  │                       │                  │                                   └─ late events
 *                                                                                  │                       │                  └─ labels ─ late filter ─ label rows (+ late events)
 *                                                                                  │                       ├─ dead letters (conflicting duplicates)
 *                                                                                  │                       └─ late events (after the deduplication horizon)
 *                                                                                  └─ dead letters
 * </pre>
 *
 * <p>Deduplication by {@code (source, id)} ({@link Deduplication}) comes before any feature state,
 * label or online row: a redelivered event counts once.
 */
public final class SpamTopology {

    /**
     * The streams the topology produces; every one of them goes to an output. {@code hashKeyId}
     * identifies the key the features were hashed with ({@link HashKeyId}), for the dataset fingerprint.
     */
    public record Streams(
            DataStream<Row> features,
            DataStream<Row> online,
            DataStream<Row> labels,
            DataStream<Row> lateEvents,
            DataStream<DeadLetter> deadLetters,
            String hashKeyId,
            DataStream<Row> onlineState) {}

    private SpamTopology() {}

    /**
     * The spam job, defined once from where it reads and where it writes: the events of
     * {@code source}, with the config's watermarks per split ({@link RawEventTime}), through the
     * topology ({@link #define}) into every output. The run and backfill commands, the benchmarks
     * and the tests all build the job with this; they differ only in the environment, the source
     * and the outputs they give it.
     *
     * @return the version directory of each dataset by name, on its filesystem
     */
    public static Map<String, org.apache.flink.core.fs.Path> defineWorkflow(
            StreamExecutionEnvironment env,
            RawEventSource source,
            SpamFeatureSet featureSet,
            byte[] hashKey,
            SpamOutputs outputs) {
        DataStream<RawEvent> raw = source.create(env, RawEventTime.watermarks(featureSet.config()));
        return outputs.attachVersions(define(raw, featureSet, hashKey), featureSet);
    }

    /**
     * The late rows of an event that came after the deduplication horizon, as the features and the
     * label filter would write them: one per stream the event feeds.
     */
    private static List<Row> lateRowsOf(Row event, long watermark, LateRowFilter labelFilter) {
        List<Row> rows = new ArrayList<>(2);
        SpamInput input = IdentifiedEvents.payload(event, 0);
        if (input != null) {
            rows.add(LateRows.row(input, SpamFeatureFunction.STREAM, watermark));
        }
        Row label = IdentifiedEvents.payload(event, 1);
        if (label != null) {
            rows.add(labelFilter.lateRow(label, watermark));
        }
        return rows;
    }

    /**
     * The topology over {@code raw}, which must carry the config's per-split watermarks (the
     * topology assigns none itself: after the source, partitions are mixed and per-partition
     * watermarks can no longer be computed). {@code featureSet} is the job's one, also given to
     * its outputs.
     */
    public static Streams define(DataStream<RawEvent> raw, SpamFeatureSet featureSet, byte[] hashKey) {
        SpamJobConfig config = featureSet.config();
        RowTypeInfo featureType = DatasetRows.typeInfo(featureSet.featureSchema());
        RowTypeInfo onlineType = DatasetRows.typeInfo(featureSet.onlineSchema());
        RowTypeInfo labelType = DatasetRows.typeInfo(SpamLabels.SCHEMA);
        RowTypeInfo lateType = DatasetRows.typeInfo(LateRows.SCHEMA);

        OutputTag<Row> labelsTag = new OutputTag<>("spam-labels", labelType);
        OutputTag<DeadLetter> deadLettersTag = new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
        OutputTag<Row> onlineTag = new OutputTag<>("spam-online", onlineType);
        OutputTag<Row> stateTag = new OutputTag<>("spam-online-state", DatasetRows.typeInfo(featureSet.stateSchema()));
        OutputTag<Row> lateInputsTag = new OutputTag<>("late-spam-inputs", lateType);
        OutputTag<Row> lateLabelsTag = new OutputTag<>("late-spam-labels", lateType);

        SingleOutputStreamOperator<Row> identified = raw.process(
                        new SpamIngestFunction(config, hashKey, CloudEventJson.DEFAULT_MAX_BYTES, deadLettersTag))
                .returns(IdentifiedEvents.typeInfo(TypeInformation.of(SpamInput.class), labelType))
                .name("decode and reduce events")
                .uid("spam-ingest");

        LateRowFilter labelFilter = new LateRowFilter(
                SpamLabels.DATASET,
                SpamLabels.SCHEMA.indexOf("label_event_id"),
                SpamLabels.SCHEMA.timeIndex(),
                SpamLabels.SCHEMA.indexOf("user_id"),
                config.allowedLatenessMillis(),
                lateLabelsTag);
        SingleOutputStreamOperator<Row> deduplicated = Deduplication.deduplicate(
                identified,
                config.dedupHorizonMillis(),
                deadLettersTag,
                lateInputsTag,
                (event, watermark) -> lateRowsOf(event, watermark, labelFilter),
                "spam-dedup");

        SingleOutputStreamOperator<SpamInput> inputs = deduplicated
                .process(new SpamInputSplit(labelsTag))
                .returns(TypeInformation.of(SpamInput.class))
                .name("split inputs and labels")
                .uid("spam-split");

        SingleOutputStreamOperator<Row> features = inputs.keyBy(input -> input.userId, TypeInformation.of(Long.class))
                .process(new SpamFeatureFunction(config, onlineTag, lateInputsTag, stateTag))
                .returns(featureType)
                .name("spam features per user")
                .uid("spam-features");

        SingleOutputStreamOperator<Row> labels = inputs.getSideOutput(labelsTag)
                .process(labelFilter)
                .returns(labelType)
                .name("late label filter")
                .uid("spam-label-late-filter");

        return new Streams(
                features,
                features.getSideOutput(onlineTag),
                labels,
                features.getSideOutput(lateInputsTag)
                        .union(labels.getSideOutput(lateLabelsTag), deduplicated.getSideOutput(lateInputsTag)),
                identified.getSideOutput(deadLettersTag).union(deduplicated.getSideOutput(deadLettersTag)),
                HashKeyId.of(hashKey),
                features.getSideOutput(stateTag));
    }
}
