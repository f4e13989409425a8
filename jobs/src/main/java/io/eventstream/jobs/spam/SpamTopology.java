package io.eventstream.jobs.spam;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.parquet.DatasetRows;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.common.LateRowFilter;
import io.eventstream.jobs.common.LateRows;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
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
 * raw ─ ingest (decode, reduce text, split) ─┬─ inputs ─ watermarks ─ keyBy(user) ─ features ─┬─ feature rows
 *                                           │                                               ├─ online rows
 *                                           │                                               └─ late events
 *                                           ├─ labels ─ watermarks ─ late filter ─ label rows (+ late events)
 *                                           └─ dead letters
 * </pre>
 */
public final class SpamTopology {

    /** The streams the topology produces; every one of them goes to an output. */
    public record Streams(
            DataStream<Row> features,
            DataStream<Row> online,
            DataStream<Row> labels,
            DataStream<Row> lateEvents,
            DataStream<DeadLetter> deadLetters) {
    }

    private SpamTopology() {
    }

    public static Streams define(DataStream<RawEvent> raw, SpamJobConfig config, byte[] hashKey) {
        SpamFeatureSet featureSet = new SpamFeatureSet(config);
        RowTypeInfo featureType = DatasetRows.typeInfo(featureSet.featureSchema());
        RowTypeInfo onlineType = DatasetRows.typeInfo(featureSet.onlineSchema());
        RowTypeInfo labelType = DatasetRows.typeInfo(SpamLabels.SCHEMA);
        RowTypeInfo lateType = DatasetRows.typeInfo(LateRows.SCHEMA);

        OutputTag<Row> labelsTag = new OutputTag<>("spam-labels", labelType);
        OutputTag<DeadLetter> deadLettersTag = new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
        OutputTag<Row> onlineTag = new OutputTag<>("spam-online", onlineType);
        OutputTag<Row> lateInputsTag = new OutputTag<>("late-spam-inputs", lateType);
        OutputTag<Row> lateLabelsTag = new OutputTag<>("late-spam-labels", lateType);

        SingleOutputStreamOperator<SpamInput> inputs = raw
                .process(new SpamIngestFunction(config, hashKey, CloudEventJson.DEFAULT_MAX_BYTES, labelsTag, deadLettersTag))
                .returns(TypeInformation.of(SpamInput.class))
                .name("decode and reduce events")
                .uid("spam-ingest");

        Duration bound = Duration.ofMillis(config.maxOutOfOrdernessMillis());
        Duration idleness = Duration.ofMillis(config.idlenessMillis());
        SingleOutputStreamOperator<Row> features = inputs
                .assignTimestampsAndWatermarks(WatermarkStrategy.<SpamInput>forBoundedOutOfOrderness(bound)
                        .withTimestampAssigner((input, previous) -> input.timeMillis)
                        .withIdleness(idleness))
                .name("event-time watermarks")
                .uid("spam-input-watermarks")
                .keyBy(input -> input.userId, TypeInformation.of(Long.class))
                .process(new SpamFeatureFunction(config, onlineTag, lateInputsTag))
                .returns(featureType)
                .name("spam features per user")
                .uid("spam-features");

        int labelTime = SpamLabels.SCHEMA.timeIndex();
        SingleOutputStreamOperator<Row> labels = inputs.getSideOutput(labelsTag)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Row>forBoundedOutOfOrderness(bound)
                        .withTimestampAssigner((row, previous) -> (Long) row.getField(labelTime))
                        .withIdleness(idleness))
                .name("label watermarks")
                .uid("spam-label-watermarks")
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
                inputs.getSideOutput(deadLettersTag));
    }
}
