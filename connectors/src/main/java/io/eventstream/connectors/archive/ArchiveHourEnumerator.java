package io.eventstream.connectors.archive;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.core.fs.Path;

/**
 * Enumerates an archive (the source's paths are archive roots) as one split per hour partition
 * that overlaps the replay's time range. Split ids sort in time order ({@code <hour start>-v<version>-<n>},
 * fixed-width), which {@link InOrderSplitAssigner} relies on.
 */
final class ArchiveHourEnumerator implements FileEnumerator {
    private final ArchiveRange range;

    ArchiveHourEnumerator(ArchiveRange range) {
        this.range = range;
    }

    @Override
    public Collection<FileSourceSplit> enumerateSplits(Path[] roots, int minDesiredSplits) throws IOException {
        List<FileSourceSplit> splits = new ArrayList<>();
        for (Path root : roots) {
            for (ArchiveLayout.Hour hour : ArchiveLayout.hours(root)) {
                if (range.overlapsHour(hour.start())) {
                    // The sign bit flipped makes the hex digits sort as the signed hour starts do.
                    String id = String.format(
                            "%016x-v%06d-%d", hour.start() ^ Long.MIN_VALUE, hour.version(), splits.size());
                    splits.add(new FileSourceSplit(id, hour.dir(), 0, 0, 0, 0));
                }
            }
        }
        return splits;
    }
}
