package io.eventstream.connectors.archive;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Enforces the archive's retention: deletes every hour partition that ended more than the retention
 * before now (an hour ending exactly at {@code now - retention} goes too), then the day directories
 * it leaves empty. Whole partitions only, so what stays is exactly the hours younger than the
 * retention. Run by {@code eventstream archive prune} (e.g. daily from cron or a Kubernetes CronJob).
 */
public final class ArchiveRetention {

    private ArchiveRetention() {}

    /** The hour partitions that {@link #prune} deletes, oldest first. */
    public static List<ArchiveLayout.Hour> expired(Path root, Duration retention, Instant now) throws IOException {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("archive.retention must be positive, got " + retention);
        }
        long cutoff = now.toEpochMilli() - retention.toMillis();
        List<ArchiveLayout.Hour> expired = new ArrayList<>();
        for (ArchiveLayout.Hour hour : ArchiveLayout.hours(root)) {
            if (hour.start() + ArchiveLayout.HOUR_MILLIS <= cutoff) {
                expired.add(hour);
            }
        }
        return expired;
    }

    /** Deletes the expired hour partitions; returns them. */
    public static List<ArchiveLayout.Hour> prune(Path root, Duration retention, Instant now) throws IOException {
        List<ArchiveLayout.Hour> expired = expired(root, retention, now);
        for (ArchiveLayout.Hour hour : expired) {
            FileSystem fs = hour.dir().getFileSystem();
            fs.delete(hour.dir(), true);
            Path day = hour.dir().getParent();
            FileStatus[] left = fs.listStatus(day);
            if (left == null || left.length == 0) {
                fs.delete(day, false);
            }
        }
        return expired;
    }
}
