package io.eventstream.connectors.parquet;

import io.eventstream.connectors.metrics.DatasetMetricNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Writes {@code _SUCCESS} into an hour partition once it is complete. Runs with parallelism 1 after
 * the {@link DatasetWriterOperator}s, in the manner of Flink's filesystem table sink.
 *
 * <p>Rule: a partition is complete when its end plus the completeness delay is at or before the
 * minimum, over all writer subtasks, of the watermark each one reported with its latest commit
 * report. The delay is how long after the watermark passes a row's time the upstream operator may
 * still emit that row (a keyed function that waits for the allowed lateness emits rows up to that
 * much after the watermark passed them). A report for
 * checkpoint c with watermark w means: the subtask received every row before w before it took
 * checkpoint c (rows later than the watermark are routed elsewhere by the job), those rows are in
 * files closed at or before c, and it has published all of them. So every subtask's rows of an hour
 * ending at or before the minimum are visible.
 *
 * <p>A subtask whose input ended counts as watermark {@code MAX} once a checkpoint taken after its
 * end-of-input report has completed; the committer then publishes that subtask's remaining files
 * itself (idempotent, the writer may do so too) before marking anything, so a bounded job ends with
 * every partition marked even if the writers' final notifications are lost.
 *
 * <p>Metrics: {@code partitionsMarkedSuccessful}, {@code filesCommitted} (files this operator published);
 * gauge {@code lastCompletedHour} (group {@code dataset=<name>}): start of the newest hour partition
 * found complete, in epoch seconds; 0 until one is found after a (re)start.
 */
final class PartitionCommitter extends AbstractStreamOperator<Void>
        implements OneInputStreamOperator<CommitReport, Void> {

    private static final long serialVersionUID = 1L;

    private final String versionDir;
    private final long completenessDelayMillis;

    private transient Path versionPath;
    private transient RecoverableWriter fileWriter;
    private transient TreeSet<Long> pendingPartitions;
    /** Latest commit report of each writer subtask (highest checkpoint id). */
    private transient Map<Integer, CommitReport> latestReports;

    private transient Map<Integer, EndedWriter> endedWriters;
    private transient int numberOfWriters;
    private transient long latestCompletedCheckpoint;
    private transient ListState<Long> pendingPartitionsState;
    private transient ListState<CommitReport> reportsState;
    private transient ListState<EndedWriter> endedWritersState;
    private transient Counter partitionsMarked;
    private transient Counter filesCommitted;
    /** Read by the metric reporter's thread. */
    private transient volatile long lastCompletedHourSeconds;

    PartitionCommitter(Path versionDir, long completenessDelayMillis) {
        this.versionDir = versionDir.toString();
        this.completenessDelayMillis = completenessDelayMillis;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        versionPath = new Path(versionDir);
        fileWriter = versionPath.getFileSystem().createRecoverableWriter();
        pendingPartitions = new TreeSet<>();
        latestReports = new HashMap<>();
        endedWriters = new HashMap<>();
        latestCompletedCheckpoint = Long.MIN_VALUE;
        partitionsMarked = getMetricGroup().counter("partitionsMarkedSuccessful");
        filesCommitted = getMetricGroup().counter("filesCommitted");
        DatasetMetricNames.datasetGroup(getMetricGroup(), DatasetMetricNames.datasetOfVersionDir(versionDir))
                .gauge("lastCompletedHour", (Gauge<Long>) () -> lastCompletedHourSeconds);

        pendingPartitionsState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("pending-partitions", Types.LONG));
        reportsState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("latest-reports", TypeInformation.of(CommitReport.class)));
        endedWritersState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("ended-writers", TypeInformation.of(EndedWriter.class)));
        if (context.isRestored()) {
            pendingPartitionsState.get().forEach(pendingPartitions::add);
            for (CommitReport report : reportsState.get()) {
                remember(report);
            }
            for (EndedWriter ended : endedWritersState.get()) {
                endedWriters.put(ended.subtask, ended);
                numberOfWriters = ended.numberOfSubtasks;
            }
            context.getRestoredCheckpointId().ifPresent(id -> latestCompletedCheckpoint = id);
            markCompletePartitions();
        }
    }

    @Override
    public void processElement(StreamRecord<CommitReport> element) throws Exception {
        CommitReport report = element.getValue();
        for (long partition : report.partitions) {
            pendingPartitions.add(partition);
        }
        if (report.endOfInput) {
            endedWriters.put(report.subtask, new EndedWriter(report));
            numberOfWriters = report.numberOfSubtasks;
        } else {
            remember(report);
            if (report.checkpointId != Long.MAX_VALUE) {
                // A writer reports a checkpoint only once it has completed.
                latestCompletedCheckpoint = Math.max(latestCompletedCheckpoint, report.checkpointId);
            }
        }
        markCompletePartitions();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        for (EndedWriter ended : endedWriters.values()) {
            if (ended.coveringCheckpoint == EndedWriter.NOT_COVERED) {
                // This checkpoint comes after the end-of-input report, so it holds the writer's final state.
                ended.coveringCheckpoint = context.getCheckpointId();
            }
        }
        pendingPartitionsState.update(new ArrayList<>(pendingPartitions));
        reportsState.update(new ArrayList<>(latestReports.values()));
        endedWritersState.update(new ArrayList<>(endedWriters.values()));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        latestCompletedCheckpoint = Math.max(latestCompletedCheckpoint, checkpointId);
        markCompletePartitions();
    }

    private void remember(CommitReport report) {
        numberOfWriters = report.numberOfSubtasks;
        CommitReport previous = latestReports.get(report.subtask);
        if (previous == null || previous.checkpointId <= report.checkpointId) {
            CommitReport stripped = CommitReport.committed(
                    report.checkpointId, report.subtask, report.numberOfSubtasks, report.watermark, new long[0]);
            latestReports.put(report.subtask, stripped);
        }
    }

    /** Marks every pending partition ending at or before the writers' minimum watermark minus the completeness delay. */
    private void markCompletePartitions() throws IOException {
        if (numberOfWriters == 0) {
            return;
        }
        long minimum = Long.MAX_VALUE;
        for (int subtask = 0; subtask < numberOfWriters; subtask++) {
            EndedWriter ended = endedWriters.get(subtask);
            if (ended != null
                    && ended.coveringCheckpoint != EndedWriter.NOT_COVERED
                    && ended.coveringCheckpoint <= latestCompletedCheckpoint) {
                commitRemainingFiles(ended);
                continue; // input ended and all of its files are visible: no more rows from it
            }
            CommitReport report = latestReports.get(subtask);
            if (report == null || report.numberOfSubtasks != numberOfWriters) {
                return; // not heard from this subtask (of the current parallelism) yet
            }
            minimum = Math.min(minimum, report.watermark);
        }
        for (Iterator<Long> it = pendingPartitions.iterator(); it.hasNext(); ) {
            long hourStart = it.next();
            if (HourPartition.hourEnd(hourStart) + completenessDelayMillis > minimum) {
                break; // sorted: later partitions end later
            }
            if (DatasetFiles.markSuccessful(versionPath, hourStart)) {
                partitionsMarked.inc();
            }
            lastCompletedHourSeconds = Math.max(lastCompletedHourSeconds, hourStart / 1000);
            it.remove();
        }
    }

    private void commitRemainingFiles(EndedWriter ended) throws IOException {
        for (PendingFile file : ended.files) {
            if (DatasetFiles.commit(fileWriter, file)) {
                filesCommitted.inc();
            }
        }
        ended.files = new PendingFile[0];
    }

    /** Committer state of a writer subtask whose input ended. A Flink POJO. */
    public static final class EndedWriter {
        static final long NOT_COVERED = Long.MIN_VALUE;

        public int subtask;
        public int numberOfSubtasks;
        /** First checkpoint taken after the end-of-input report; its completion makes the files final. */
        public long coveringCheckpoint = NOT_COVERED;

        public PendingFile[] files = new PendingFile[0];

        /** For Flink's POJO serializer. */
        public EndedWriter() {}

        EndedWriter(CommitReport report) {
            this.subtask = report.subtask;
            this.numberOfSubtasks = report.numberOfSubtasks;
            this.files = report.uncommittedFiles;
        }
    }
}
