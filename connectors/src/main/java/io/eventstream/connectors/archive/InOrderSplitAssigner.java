package io.eventstream.connectors.archive;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

/**
 * Hands out splits in split-id order (for the archive: oldest hour first), also the splits a failed
 * reader gives back. Flink's assigners favour locality and make no promise about order, and an
 * archive read out of hour order would put whole hours behind the watermark.
 */
final class InOrderSplitAssigner implements FileSplitAssigner {
    private final TreeSet<FileSourceSplit> splits = new TreeSet<>(Comparator.comparing(FileSourceSplit::splitId));

    InOrderSplitAssigner(Collection<FileSourceSplit> initial) {
        splits.addAll(initial);
    }

    @Override
    public Optional<FileSourceSplit> getNext(String hostname) {
        return Optional.ofNullable(splits.pollFirst());
    }

    @Override
    public void addSplits(Collection<FileSourceSplit> returned) {
        splits.addAll(returned);
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        return new ArrayList<>(splits);
    }
}
