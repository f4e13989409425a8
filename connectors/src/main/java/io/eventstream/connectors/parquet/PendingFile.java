package io.eventstream.connectors.parquet;

import java.util.Arrays;
import java.util.Objects;

/**
 * A closed Parquet part file not yet visible: its bytes are durable on the filesystem (a hidden
 * file on the local disk or HDFS, an uncompleted multipart upload on S3) and {@link #committable}
 * is what Flink's {@code RecoverableWriter} needs to publish it under {@link #finalPath}, once the
 * checkpoint that covers it completes. A Flink POJO (public fields, no-argument constructor)
 * because it lives in operator state and in {@link CommitReport}s.
 */
public final class PendingFile {
    /** Checkpoint whose completion makes the file visible; {@link #UNASSIGNED} until it is snapshotted. */
    public long checkpointId;
    /** URI of the visible file ({@code .../part-*.parquet}). */
    public String finalPath;
    /** Start of the UTC hour partition holding the file, epoch millis. */
    public long hourStart;
    /** The writer's serialized {@code CommitRecoverable} of the closed file. */
    public byte[] committable = new byte[0];
    /** Version of the serializer that wrote {@link #committable}. */
    public int committableVersion;

    /** Marks a file closed after the last snapshot, which the next snapshot will assign. */
    public static final long UNASSIGNED = -1L;

    /** For Flink's POJO serializer. */
    public PendingFile() {}

    PendingFile(long checkpointId, String finalPath, long hourStart, byte[] committable, int committableVersion) {
        this.checkpointId = checkpointId;
        this.finalPath = finalPath;
        this.hourStart = hourStart;
        this.committable = committable;
        this.committableVersion = committableVersion;
    }

    PendingFile copy() {
        return new PendingFile(checkpointId, finalPath, hourStart, committable.clone(), committableVersion);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PendingFile p
                && checkpointId == p.checkpointId
                && hourStart == p.hourStart
                && Objects.equals(finalPath, p.finalPath)
                && committableVersion == p.committableVersion
                && Arrays.equals(committable, p.committable);
    }

    @Override
    public int hashCode() {
        return Objects.hash(checkpointId, finalPath, hourStart);
    }

    @Override
    public String toString() {
        return "PendingFile{checkpoint=" + checkpointId + ", " + finalPath + "}";
    }
}
