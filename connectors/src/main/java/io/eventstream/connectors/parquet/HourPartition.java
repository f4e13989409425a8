package io.eventstream.connectors.parquet;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The UTC hour partitions {@code dt=YYYY-MM-DD/hour=HH} of a dataset version, keyed by the hour's start. */
final class HourPartition {
    static final long HOUR_MILLIS = 3_600_000L;

    private static final DateTimeFormatter PATH =
            DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);

    private HourPartition() {}

    /** Start (epoch millis, UTC) of the hour containing {@code epochMillis}. */
    static long hourStart(long epochMillis) {
        return Math.floorDiv(epochMillis, HOUR_MILLIS) * HOUR_MILLIS;
    }

    /** Exclusive end of the hour starting at {@code hourStart}. */
    static long hourEnd(long hourStart) {
        return hourStart + HOUR_MILLIS;
    }

    /** Relative directory of the hour, e.g. {@code dt=2024-05-01/hour=07}. */
    static String path(long hourStart) {
        return PATH.format(Instant.ofEpochMilli(hourStart));
    }
}
