package io.eventstream.connectors.archive;

import io.eventstream.connectors.source.RawEvent;
import org.apache.flink.connector.base.source.hybrid.HybridSource;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.core.fs.Path;

/**
 * Sources over the raw event archive, emitting the same {@link RawEvent}s as the jobs' Kafka and
 * file sources (structured-mode CloudEvents; origin {@code archive:<original origin>}), so a job
 * replays history with its unchanged topology.
 *
 * <pre>{@code
 * // bounded: a time range of the archive
 * FileSource<RawEvent> history = ArchiveSources.bounded(root, ArchiveRange.between(from, to));
 * // history, then live: the archive below the cut, then Kafka from the cut
 * ArchiveCut cut = ArchiveCut.scan(root);
 * HybridSource<RawEvent> replay = ArchiveSources.thenKafka(root, ArchiveRange.between(from, null), cut,
 *         EventSources.kafka(bootstrap, topic, group,
 *                 OffsetsInitializer.offsets(cut.startingOffsets(topic), OffsetResetStrategy.EARLIEST), false));
 * }</pre>
 */
public final class ArchiveSources {

    private ArchiveSources() {}

    /** The archive's events in {@code range}, hour by hour in time order (see {@link ArchiveFormat}). */
    public static FileSource<RawEvent> bounded(Path root, ArchiveRange range) {
        return FileSource.forBulkFileFormat(new ArchiveFormat(range), root)
                .setFileEnumerator(() -> new ArchiveHourEnumerator(range))
                .setSplitAssigner(InOrderSplitAssigner::new)
                .build();
    }

    /**
     * The archive's events in {@code range} below {@code cut}, then {@code kafka}, which must start
     * at the cut ({@link ArchiveCut#startingOffsets}): every record exactly once.
     */
    public static HybridSource<RawEvent> thenKafka(
            Path root, ArchiveRange range, ArchiveCut cut, KafkaSource<RawEvent> kafka) {
        return HybridSource.builder(bounded(root, range.withCut(cut)))
                .addSource(kafka)
                .build();
    }
}
