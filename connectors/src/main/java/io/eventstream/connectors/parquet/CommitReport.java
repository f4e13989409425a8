package io.eventstream.connectors.parquet;

import java.util.Arrays;

/**
 * What a writer subtask tells the {@link PartitionCommitter}. Two kinds:
 *
 * <ul>
 *   <li>a <b>commit report</b>, sent after the writer published every file of checkpoints up to
 *       {@link #checkpointId}: the partitions those files went to and the writer's watermark when
 *       that checkpoint was taken (every row of an hour ending at or before it is now visible);</li>
 *   <li>an <b>end-of-input report</b> ({@link #endOfInput}), sent when the writer's input ends and
 *       before its end-of-data signal, listing the files it has not committed yet
 *       ({@link #uncommittedFiles}); the committer commits those itself once a checkpoint taken
 *       after the report completes, because records emitted from the final checkpoint's
 *       notification may never reach it (FLINK-38614).</li>
 * </ul>
 *
 * A Flink POJO (public fields, arrays rather than collections) so no Kryo is involved.
 */
public final class CommitReport {
    public long checkpointId;
    public int subtask;
    public int numberOfSubtasks;
    /** Watermark of the writer when {@link #checkpointId} was taken; {@code Long.MAX_VALUE} after its input ended. */
    public long watermark;
    /** Start (epoch millis) of each hour partition the reported files went to. */
    public long[] partitions = new long[0];

    public boolean endOfInput;
    /** Files of an end-of-input report that the committer must make visible; empty otherwise. */
    public PendingFile[] uncommittedFiles = new PendingFile[0];

    /** For Flink's POJO serializer. */
    public CommitReport() {}

    static CommitReport committed(
            long checkpointId, int subtask, int numberOfSubtasks, long watermark, long[] partitions) {
        CommitReport r = new CommitReport();
        r.checkpointId = checkpointId;
        r.subtask = subtask;
        r.numberOfSubtasks = numberOfSubtasks;
        r.watermark = watermark;
        r.partitions = partitions;
        return r;
    }

    static CommitReport endOfInput(int subtask, int numberOfSubtasks, long[] partitions, PendingFile[] files) {
        CommitReport r = committed(Long.MAX_VALUE, subtask, numberOfSubtasks, Long.MAX_VALUE, partitions);
        r.endOfInput = true;
        r.uncommittedFiles = files;
        return r;
    }

    @Override
    public String toString() {
        return (endOfInput ? "EndOfInput{" : "Committed{checkpoint=" + checkpointId + ", ")
                + "subtask=" + subtask + "/" + numberOfSubtasks + ", watermark=" + watermark
                + ", partitions=" + Arrays.toString(partitions) + ", files=" + uncommittedFiles.length + "}";
    }
}
