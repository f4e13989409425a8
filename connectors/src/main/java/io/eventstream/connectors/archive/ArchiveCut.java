package io.eventstream.connectors.archive;

import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.fs.Path;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a replay switches from the archive to Kafka: for every topic partition of the archive, the
 * offset after the highest archived one. The archive job commits a record's row in the same
 * checkpoint as its source position, so the archive holds every valid record of a partition below
 * the offset it has read to; records the job read after its last completed checkpoint are not in it
 * yet. Reading the archive below the cut and Kafka from the cut therefore reads every record once:
 * none is missed (everything below the cut is archived or was invalid) and none is doubled (the
 * archive part skips anything at or above the cut, even files committed while the replay runs).
 *
 * <p>Also records, per partition, the latest archived event time: the replay holds the archive's
 * watermark below the smallest of them (minus the watermark bound), where the live job's per-partition
 * watermark would have been at the cut, so no record Kafka delivers after the cut is late.
 *
 * @param nextOffsets      {@code <topic>/<partition>} to the first offset not archived
 * @param latestTimeMillis {@code <topic>/<partition>} to the latest event time archived from it
 */
public record ArchiveCut(Map<String, Long> nextOffsets, Map<String, Long> latestTimeMillis) {

    public ArchiveCut {
        nextOffsets = Collections.unmodifiableMap(new TreeMap<>(nextOffsets));
        latestTimeMillis = Collections.unmodifiableMap(new TreeMap<>(latestTimeMillis));
    }

    /**
     * Scans the archive's committed files (the Kafka and time columns of every row). The cost grows
     * with the archive; see docs/archive.md for how long it takes.
     */
    public static ArchiveCut scan(Path root) throws IOException {
        Map<String, Long> next = new HashMap<>();
        Map<String, Long> latest = new HashMap<>();
        for (ArchiveLayout.Hour hour : ArchiveLayout.hours(root)) {
            for (Path file : ArchiveLayout.partFiles(hour.dir())) {
                ArchiveFiles.forEachRow(file, row -> {
                    if (row[EventArchive.KAFKA_TOPIC] != null) {
                        String partition = topicPartition(
                                (String) row[EventArchive.KAFKA_TOPIC], (Integer) row[EventArchive.KAFKA_PARTITION]);
                        next.merge(partition, (Long) row[EventArchive.KAFKA_OFFSET] + 1, Math::max);
                        latest.merge(partition, (Long) row[EventArchive.TIME], Math::max);
                    }
                });
            }
        }
        return new ArchiveCut(next, latest);
    }

    /** Kafka starting offsets of {@code topic} at the cut (partitions not archived are absent: read them from the earliest offset). */
    public Map<TopicPartition, Long> startingOffsets(String topic) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        nextOffsets.forEach((key, offset) -> {
            int slash = key.lastIndexOf('/');
            if (key.substring(0, slash).equals(topic)) {
                offsets.put(new TopicPartition(topic, Integer.parseInt(key.substring(slash + 1))), offset);
            }
        });
        return offsets;
    }

    /** The smallest of the partitions' latest archived event times; {@link Long#MAX_VALUE} for an empty cut. */
    public long earliestLatestTimeMillis() {
        return latestTimeMillis.values().stream()
                .mapToLong(Long::longValue)
                .min()
                .orElse(Long.MAX_VALUE);
    }

    static String topicPartition(String topic, int partition) {
        return topic + "/" + partition;
    }
}
