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
import io.eventstream.jobs.common.RawEventTime;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
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
 *                                                                                  │                       └─ dead letters (conflicting duplicates)
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
            DataStream<Row> onlineState) {
    }

    private SpamTopology() {
    }

    /**
     * The watermarks the raw stream must carry: bounded out-of-orderness and idleness from the
     * config, generated per source split (see {@link RawEventTime}). Build the source with
     * {@code env.fromSource(source, SpamTopology.watermarks(config), name)}.
     */
    public static WatermarkStrategy<RawEvent> watermarks(SpamJobConfig config) {
        return RawEventTime.watermarks(config.maxOutOfOrdernessMillis(), config.idlenessMillis(),
                config.maxFutureMillis());
    }

    /**
     * The topology over {@code raw}, which must come from a source with {@link #watermarks} (the
     * topology assigns none itself: after the source, partitions are mixed and per-partition
     * watermarks can no longer be computed).
     */
    public static Streams define(DataStream<RawEvent> raw, SpamJobConfig config, byte[] hashKey) {
        SpamFeatureSet featureSet = new SpamFeatureSet(config);
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

        SingleOutputStreamOperator<Row> identified = raw
                .process(new SpamIngestFunction(config, hashKey, CloudEventJson.DEFAULT_MAX_BYTES, deadLettersTag))
                .returns(IdentifiedEvents.typeInfo(TypeInformation.of(SpamInput.class), labelType))
                .name("decode and reduce events")
                .uid("spam-ingest");

        SingleOutputStreamOperator<Row> deduplicated = identified
                .keyBy(IdentifiedEvents::key, Types.STRING)
                .process(new Deduplication(config.dedupHorizonMillis(), deadLettersTag))
                .returns(identified.getType())
                .name("deduplicate by source and id")
                .uid("spam-dedup");

        SingleOutputStreamOperator<SpamInput> inputs = deduplicated
                .process(new SpamInputSplit(labelsTag))
                .returns(TypeInformation.of(SpamInput.class))
                .name("split inputs and labels")
                .uid("spam-split");

        SingleOutputStreamOperator<Row> features = inputs
                .keyBy(input -> input.userId, TypeInformation.of(Long.class))
                .process(new SpamFeatureFunction(config, onlineTag, lateInputsTag, stateTag))
                .returns(featureType)
                .name("spam features per user")
                .uid("spam-features");

        int labelTime = SpamLabels.SCHEMA.timeIndex();
        SingleOutputStreamOperator<Row> labels = inputs.getSideOutput(labelsTag)
                .process(new LateRowFilter(SpamLabels.DATASET, SpamLabels.SCHEMA.indexOf("label_event_id"), labelTime,
                        SpamLabels.SCHEMA.indexOf("user_id"), config.allowedLatenessMillis(), lateLabelsTag))
                .returns(labelType)
                .name("late label filter")
                .uid("spam-label-late-filter");

        return new Streams(
                features,
                features.getSideOutput(onlineTag),
                labels,
                features.getSideOutput(lateInputsTag).union(labels.getSideOutput(lateLabelsTag)),
                identified.getSideOutput(deadLettersTag).union(deduplicated.getSideOutput(deadLettersTag)),
                HashKeyId.of(hashKey),
                features.getSideOutput(stateTag));
    }
}
