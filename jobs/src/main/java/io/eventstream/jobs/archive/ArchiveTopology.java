package io.eventstream.jobs.archive;

import io.eventstream.connectors.archive.EventArchive;
import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.parquet.DatasetRows;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.config.ArchiveJobConfig;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.jobs.common.RawEventTime;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.types.Row;
import org.apache.flink.util.OutputTag;

/**
 * The raw event archive topology: decode and validate each record as the feature jobs do, write
 * valid events as archive rows, invalid records as dead letters. No shuffle, no keyed state: the
 * rows go from the decoder straight into the dataset writer chained to it.
 *
 * <pre>
 * raw (watermarks per split) ─ decode ─┬─ archive rows ─ events dataset (archive root)
 *                                      └─ dead letters ─ dead_letters dataset (archive root)
 * </pre>
 */
public final class ArchiveTopology {

    /** The streams the topology produces. */
    public record Streams(DataStream<Row> events, DataStream<DeadLetter> deadLetters) {
    }

    private ArchiveTopology() {
    }

    /** Per-split watermarks from the config: they mark hour partitions of the archive complete. */
    public static WatermarkStrategy<RawEvent> watermarks(ArchiveJobConfig config) {
        return RawEventTime.watermarks(config.maxOutOfOrdernessMillis(), config.idlenessMillis(),
                config.maxFutureMillis());
    }

    /** The topology over {@code raw}, which must come from a source with {@link #watermarks}. */
    public static Streams define(DataStream<RawEvent> raw, ArchiveJobConfig config) {
        OutputTag<DeadLetter> deadLettersTag = new OutputTag<>("archive-dead-letters", TypeInformation.of(DeadLetter.class));
        SingleOutputStreamOperator<Row> rows = raw
                .process(new ArchiveFunction(CloudEventJson.DEFAULT_MAX_BYTES, config.maxFutureMillis(), deadLettersTag,
                        config.allowedLatenessMillis()))
                .returns(DatasetRows.typeInfo(EventArchive.schema()))
                .name("decode and archive events")
                .uid("archive-decode");
        return new Streams(rows, rows.getSideOutput(deadLettersTag));
    }
}
