package io.eventstream.jobs.archive;

import io.eventstream.connectors.archive.ArchiveCut;
import io.eventstream.connectors.archive.ArchiveLayout;
import io.eventstream.connectors.archive.ArchiveRange;
import io.eventstream.connectors.archive.ArchiveSources;
import io.eventstream.connectors.source.EventSources;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.config.StreamJobSettings;
import io.eventstream.jobs.common.RawEventSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * A job's input replayed from the raw event archive: the archive's events with time in
 * {@code [from, to)} (bounded), or, with a Kafka topic, the archive's events from {@code from} up to
 * the cut and then Kafka from the cut, live ({@link ArchiveCut}: every record once, no gap and no
 * overlap at the switch). The archive's events come in time order, so the job's watermarks hold.
 *
 * @param root  archive root (a path or a filesystem URI)
 * @param from  first event time to read, or null for the archive's start
 * @param to    event time to stop before (bounded replay only), or null for the archive's end
 * @param kafka the live topic to continue on, or null for a bounded replay
 */
public record ArchiveReplay(String root, Instant from, Instant to, Live kafka) {

    /**
     * Where to continue after the archive.
     *
     * @param stopAtLatest stop at the offsets that are latest when the job starts (tests, catching up
     *                     to a point) instead of reading on forever
     */
    public record Live(String bootstrap, String topic, String groupId, boolean stopAtLatest) {}

    public ArchiveReplay {
        if (kafka != null && to != null) {
            throw new IllegalArgumentException("a replay that continues on Kafka has no end time (--to)");
        }
    }

    /**
     * This replay as the source of a job's workflow: {@link #create} with the job's watermark bound
     * ({@code time.max_out_of_orderness}).
     */
    public RawEventSource forJob(StreamJobSettings job) {
        return (env, watermarks) -> create(env, watermarks, job.maxOutOfOrdernessMillis());
    }

    /**
     * The source, with the job's watermarks per split (capped on the archive part of a replay that
     * continues on Kafka, see {@link ArchiveWatermarks}).
     *
     * @param maxOutOfOrdernessMillis the job's watermark bound (its {@code time.max_out_of_orderness})
     */
    public DataStream<RawEvent> create(
            StreamExecutionEnvironment env, WatermarkStrategy<RawEvent> watermarks, long maxOutOfOrdernessMillis) {
        Path archive = ArchiveLayout.root(root);
        ArchiveRange range = ArchiveRange.between(from, to);
        TypeInformation<RawEvent> type = TypeInformation.of(RawEvent.class);
        if (kafka == null) {
            return env.fromSource(ArchiveSources.bounded(archive, range), watermarks, "events from archive")
                    .returns(type)
                    .uid("source-archive");
        }
        ArchiveCut cut;
        try {
            cut = ArchiveCut.scan(archive);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan the archive at " + root, e);
        }
        if (cut.startingOffsets(kafka.topic()).isEmpty() && !cut.nextOffsets().isEmpty()) {
            // Switching at no offset would read the whole topic again after the archive.
            throw new IllegalArgumentException("the archive at " + root + " holds no records of topic " + kafka.topic()
                    + ", only of " + cut.nextOffsets().keySet() + ": there is no point to switch to Kafka at");
        }
        long latest = cut.earliestLatestTimeMillis();
        long cap = latest == Long.MAX_VALUE ? Long.MAX_VALUE : latest - maxOutOfOrdernessMillis - 1;
        OffsetsInitializer start =
                OffsetsInitializer.offsets(cut.startingOffsets(kafka.topic()), OffsetResetStrategy.EARLIEST);
        return env.fromSource(
                        ArchiveSources.thenKafka(
                                archive,
                                range,
                                cut,
                                EventSources.kafka(
                                        kafka.bootstrap(),
                                        kafka.topic(),
                                        kafka.groupId(),
                                        start,
                                        kafka.stopAtLatest())),
                        new ArchiveWatermarks(watermarks, cap),
                        "events from archive then kafka " + kafka.topic())
                .returns(type)
                .uid("source-archive-then-kafka");
    }

    /** For the job's start message. */
    public String describe() {
        String range = "[" + (from == null ? "start" : from) + ", " + (to == null ? "end" : to) + ")";
        return "archive " + root + " " + range
                + (kafka == null ? "" : ", then kafka " + kafka.bootstrap() + " topic " + kafka.topic());
    }
}
