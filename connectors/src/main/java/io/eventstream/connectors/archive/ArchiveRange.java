package io.eventstream.connectors.archive;

import java.io.Serializable;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay reads from the archive: events with time in {@code [from, to)} and, when a Kafka
 * cut is given, only records below it (offset {@code <} the cut's offset for their topic partition;
 * records of partitions the cut does not name are left to Kafka). Events archived from files carry
 * no offsets and are always in.
 *
 * @param fromMillis inclusive lower bound of the event time ({@link Long#MIN_VALUE}: from the start)
 * @param toMillis   exclusive upper bound of the event time ({@link Long#MAX_VALUE}: to the end)
 * @param cut        {@code <topic>/<partition>} to the first offset not to read, or null for no cut
 */
public record ArchiveRange(long fromMillis, long toMillis, Map<String, Long> cut) implements Serializable {

    public ArchiveRange {
        if (fromMillis >= toMillis) {
            throw new IllegalArgumentException("the replay range is empty: from " + Instant.ofEpochMilli(fromMillis)
                    + " is not before to " + Instant.ofEpochMilli(toMillis));
        }
        cut = cut == null ? null : new TreeMap<>(cut);
    }

    /** Events with time in {@code [from, to)}; null bounds are open. */
    public static ArchiveRange between(Instant from, Instant to) {
        return new ArchiveRange(
                from == null ? Long.MIN_VALUE : from.toEpochMilli(),
                to == null ? Long.MAX_VALUE : to.toEpochMilli(),
                null);
    }

    /** This range, read only below the cut. */
    public ArchiveRange withCut(ArchiveCut archiveCut) {
        return new ArchiveRange(fromMillis, toMillis, archiveCut.nextOffsets());
    }

    /** Whether an hour partition starting at {@code hourStart} can hold events of the range. */
    boolean overlapsHour(long hourStart) {
        return hourStart < toMillis && hourStart + ArchiveLayout.HOUR_MILLIS > fromMillis;
    }

    /** Whether an archive row is read. */
    boolean includes(Object[] row) {
        long time = (Long) row[EventArchive.TIME];
        if (time < fromMillis || time >= toMillis) {
            return false;
        }
        if (cut == null || row[EventArchive.KAFKA_TOPIC] == null) {
            return true;
        }
        Long next = cut.get(ArchiveCut.topicPartition(
                (String) row[EventArchive.KAFKA_TOPIC], (Integer) row[EventArchive.KAFKA_PARTITION]));
        return next != null && (Long) row[EventArchive.KAFKA_OFFSET] < next;
    }
}
