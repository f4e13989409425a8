package io.eventstream.connectors.parquet;

import java.util.Objects;

/**
 * A closed Parquet part file still under its hidden name, waiting for the checkpoint that covers it
 * to complete before it is renamed to its visible {@code .parquet} name. A Flink POJO (public
 * fields, no-argument constructor) because it lives in operator state and in {@link CommitReport}s.
 */
public final class PendingFile {
    /** Checkpoint whose completion makes the file visible; {@link #UNASSIGNED} until it is snapshotted. */
    public long checkpointId;
    /** Absolute path of the hidden file ({@code .part-*.parquet.inprogress}). */
    public String hiddenPath;
    /** Absolute path of the visible file ({@code part-*.parquet}). */
    public String finalPath;
    /** Start of the UTC hour partition holding the file, epoch millis. */
    public long hourStart;

    /** Marks a file closed after the last snapshot, which the next snapshot will assign. */
    public static final long UNASSIGNED = -1L;

    /** For Flink's POJO serializer. */
    public PendingFile() {
    }

    PendingFile(long checkpointId, String hiddenPath, String finalPath, long hourStart) {
        this.checkpointId = checkpointId;
        this.hiddenPath = hiddenPath;
        this.finalPath = finalPath;
        this.hourStart = hourStart;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PendingFile p && checkpointId == p.checkpointId && hourStart == p.hourStart
                && Objects.equals(hiddenPath, p.hiddenPath) && Objects.equals(finalPath, p.finalPath);
    }

    @Override
    public int hashCode() {
        return Objects.hash(checkpointId, hiddenPath, finalPath, hourStart);
    }

    @Override
    public String toString() {
        return "PendingFile{checkpoint=" + checkpointId + ", " + finalPath + "}";
    }
}
