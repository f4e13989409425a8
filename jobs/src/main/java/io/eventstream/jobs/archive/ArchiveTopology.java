package io.eventstream.jobs.archive;

import io.eventstream.connectors.archive.EventArchive;
import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.parquet.DatasetRows;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.config.ArchiveJobConfig;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.jobs.common.RawEventSource;
import io.eventstream.jobs.common.RawEventTime;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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
    public record Streams(DataStream<Row> events, DataStream<DeadLetter> deadLetters) {}

    private ArchiveTopology() {}

    /**
     * The archive job, defined once from where it reads and where it writes: the events of
     * {@code source}, with the config's watermarks per split (they mark the archive's hour
     * partitions complete), through the topology into both datasets. The run command and the tests
     * build the job with this.
     *
     * @return the version directory of each dataset by name
     */
    public static Map<String, Path> defineWorkflow(
            StreamExecutionEnvironment env, RawEventSource source, ArchiveJobConfig config, ArchiveOutputs outputs) {
        DataStream<RawEvent> raw = source.create(env, RawEventTime.watermarks(config));
        return outputs.attach(define(raw, config), config);
    }

    /** The topology over {@code raw}, which must carry the config's per-split watermarks. */
    public static Streams define(DataStream<RawEvent> raw, ArchiveJobConfig config) {
        OutputTag<DeadLetter> deadLettersTag =
                new OutputTag<>("archive-dead-letters", TypeInformation.of(DeadLetter.class));
        SingleOutputStreamOperator<Row> rows = raw.process(new ArchiveFunction(
                        CloudEventJson.DEFAULT_MAX_BYTES,
                        config.maxFutureMillis(),
                        deadLettersTag,
                        config.allowedLatenessMillis()))
                .returns(DatasetRows.typeInfo(EventArchive.schema()))
                .name("decode and archive events")
                .uid("archive-decode");
        return new Streams(rows, rows.getSideOutput(deadLettersTag));
    }
}
