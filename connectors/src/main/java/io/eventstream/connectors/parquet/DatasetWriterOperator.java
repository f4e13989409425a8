package io.eventstream.connectors.parquet;

import io.eventstream.connectors.metrics.DatasetMetricNames;
import io.eventstream.connectors.metrics.EventTimeDelay;
import io.eventstream.connectors.metrics.EventTimeSample;
import io.eventstream.features.datasets.DatasetSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Row;
import org.apache.parquet.hadoop.ParquetWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes dataset rows into hidden Parquet part files, one open file per hour partition, and makes
 * them visible exactly once through checkpoints:
 *
 * <ol>
 *   <li>rows go through the filesystem's {@link RecoverableWriter} towards
 *       {@code part-<subtask>-<uuid>.parquet} in their hour partition: a hidden
 *       {@code .part-*.parquet.inprogress.*} file on the local disk and HDFS, a multipart upload
 *       on S3;</li>
 *   <li>on a checkpoint every open file is closed for commit and recorded, with the checkpoint id
 *       and its serialized commit recoverable, as pending in operator state, together with the
 *       writer's watermark at that checkpoint;</li>
 *   <li>when the checkpoint completes ({@link #notifyCheckpointComplete}) its pending files are
 *       published (rename, or completion of the upload) and a {@link CommitReport} goes to the
 *       {@link PartitionCommitter};</li>
 *   <li>on restore, the pending files of the restored checkpoint are committed (idempotently:
 *       some may be published already); files written after it are never published.</li>
 * </ol>
 *
 * <p>Why not Flink's {@code FileSink} with a bulk Parquet format: it has no hour partitions by
 * the event time of a column together with a {@code _SUCCESS} marker written when the watermark
 * of every writer has passed the hour (its partition commit policies live in the Table API's
 * filesystem sink), and no dataset versions. The parts it would share, the
 * {@code RecoverableWriter} and its commit recoverables, are used here as they are.
 *
 * <p>At end of input: with checkpoints, the files wait for the final checkpoint and an end-of-input
 * report hands them to the committer as well; without checkpoints (or in batch mode) they are
 * committed at once, as no checkpoint will ever come.
 *
 * <p>Rows that do not match the schema are counted in {@code rowsRejected}, logged without their
 * values and dropped, so a bad row never fails the job.
 *
 * <p>Metrics: {@code rowsWritten}, {@code rowsRejected}, {@code filesCommitted}; in group
 * {@code dataset=<name>}: {@code freshnessMs}, a histogram of (commit time − event time) over a
 * sample of the rows each completed checkpoint made visible.
 */
final class DatasetWriterOperator extends AbstractStreamOperator<CommitReport>
        implements OneInputStreamOperator<Row, CommitReport>, BoundedOneInput {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DatasetWriterOperator.class);

    private final String versionDir;
    private final SerializedSchema serializedSchema;
    private final Compression compression;
    private final HashMap<String, String> parquetMetadata;
    private final boolean commitAtEndOfInput;

    private transient DatasetSchema schema;
    private transient Path versionPath;
    private transient RecoverableWriter fileWriter;
    private transient int timeIndex;
    private transient Object[] values;
    /** At most this many part files open at once per writer subtask (see {@link #closeOldestOpenFile}). */
    static final int MAX_OPEN_FILES = 8;

    private transient SharedCodecFactory codecs;
    private transient TreeMap<Long, OpenFile> openFiles;
    private transient OpenFile lastFile;
    /** Files closed and not yet visible, in closing order; unassigned ones were closed after the last snapshot. */
    private transient List<PendingFile> pending;

    private transient NavigableMap<Long, Long> watermarkAtCheckpoint;
    /** Partitions of files committed on restore, reported with the next commit report. */
    private transient TreeSet<Long> restoredPartitions;

    private transient ListState<PendingFile> pendingState;
    private transient long currentWatermark;
    private transient boolean inputEnded;
    private transient Counter rowsWritten;
    private transient Counter rowsRejected;
    private transient Counter filesCommitted;
    /** Event times of the rows written since the last snapshot; they become visible with the next checkpoint. */
    private transient EventTimeSample rowsSinceSnapshot;

    private transient NavigableMap<Long, EventTimeSample> rowsAtCheckpoint;
    private transient EventTimeDelay freshness;

    DatasetWriterOperator(
            Path versionDir,
            DatasetSchema schema,
            Compression compression,
            Map<String, String> parquetMetadata,
            boolean commitAtEndOfInput) {
        this.versionDir = versionDir.toString();
        this.serializedSchema = new SerializedSchema(schema);
        this.compression = compression;
        this.parquetMetadata = new HashMap<>(parquetMetadata);
        this.commitAtEndOfInput = commitAtEndOfInput;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        schema = serializedSchema.schema();
        versionPath = new Path(versionDir);
        fileWriter = versionPath.getFileSystem().createRecoverableWriter();
        timeIndex = schema.timeIndex();
        values = new Object[schema.columns().size()];
        codecs = new SharedCodecFactory();
        openFiles = new TreeMap<>();
        pending = new ArrayList<>();
        watermarkAtCheckpoint = new TreeMap<>();
        restoredPartitions = new TreeSet<>();
        currentWatermark = Long.MIN_VALUE;
        rowsWritten = getMetricGroup().counter("rowsWritten");
        freshness = EventTimeDelay.register(
                DatasetMetricNames.datasetGroup(getMetricGroup(), schema.name()), "freshnessMs");
        rowsSinceSnapshot = new EventTimeSample();
        rowsAtCheckpoint = new TreeMap<>();
        rowsRejected = getMetricGroup().counter("rowsRejected");
        filesCommitted = getMetricGroup().counter("filesCommitted");

        pendingState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("pending-part-files", TypeInformation.of(PendingFile.class)));
        if (context.isRestored()) {
            // The restored checkpoint completed, so everything it recorded as pending is committed now.
            for (PendingFile file : pendingState.get()) {
                commit(file);
                restoredPartitions.add(file.hourStart);
            }
            pendingState.clear();
        }
    }

    @Override
    public void processElement(StreamRecord<Row> element) throws Exception {
        Row row = element.getValue();
        if (row.getArity() != values.length) {
            reject(schema.name() + ": row has " + row.getArity() + " fields for " + values.length + " columns");
            return;
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = row.getField(i);
        }
        String problem = schema.check(values);
        if (problem != null) {
            reject(problem);
            return;
        }
        long hourStart = HourPartition.hourStart((Long) values[timeIndex]);
        OpenFile file = lastFile;
        if (file == null || file.hourStart != hourStart) {
            // Rows mostly arrive in time order: the map is consulted only when the hour changes.
            file = openFiles.get(hourStart);
            if (file == null) {
                if (openFiles.size() >= MAX_OPEN_FILES) {
                    closeOldestOpenFile();
                }
                file = open(hourStart);
                openFiles.put(hourStart, file);
            }
            lastFile = file;
        }
        file.writer.write(values);
        rowsWritten.inc();
        rowsSinceSnapshot.add((Long) values[timeIndex]);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        super.processWatermark(mark);
        currentWatermark = mark.getTimestamp();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        long checkpointId = context.getCheckpointId();
        closeOpenFiles();
        for (PendingFile file : pending) {
            if (file.checkpointId == PendingFile.UNASSIGNED) {
                file.checkpointId = checkpointId;
            }
        }
        watermarkAtCheckpoint.put(checkpointId, currentWatermark);
        pendingState.update(pending);
        rowsAtCheckpoint.put(checkpointId, rowsSinceSnapshot);
        rowsSinceSnapshot = new EventTimeSample();
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        TreeSet<Long> partitions = new TreeSet<>(restoredPartitions);
        for (Iterator<PendingFile> it = pending.iterator(); it.hasNext(); ) {
            PendingFile file = it.next();
            if (file.checkpointId != PendingFile.UNASSIGNED && file.checkpointId <= checkpointId) {
                commit(file);
                partitions.add(file.hourStart);
                it.remove();
            }
        }
        recordVisible(rowsAtCheckpoint.headMap(checkpointId, true));
        Long watermark = watermarkAtCheckpoint.get(checkpointId);
        watermarkAtCheckpoint.headMap(checkpointId, true).clear();
        if (inputEnded) {
            return; // the end-of-input report already told the committer everything
        }
        restoredPartitions.clear();
        output.collect(new StreamRecord<>(CommitReport.committed(
                checkpointId,
                subtask(),
                numberOfSubtasks(),
                // No snapshot of ours for this id (notification of an older attempt): claim no progress.
                watermark == null ? Long.MIN_VALUE : watermark,
                toArray(partitions))));
    }

    @Override
    public void endInput() throws Exception {
        inputEnded = true;
        currentWatermark = Long.MAX_VALUE;
        closeOpenFiles();
        TreeSet<Long> partitions = new TreeSet<>(restoredPartitions);
        restoredPartitions.clear();
        pending.forEach(file -> partitions.add(file.hourStart));
        if (commitAtEndOfInput) {
            for (PendingFile file : pending) {
                commit(file);
            }
            pending.clear();
            recordVisible(rowsAtCheckpoint);
            rowsSinceSnapshot.recordVisible(freshness, System.currentTimeMillis());
            rowsSinceSnapshot = new EventTimeSample();
            output.collect(new StreamRecord<>(CommitReport.committed(
                    Long.MAX_VALUE, subtask(), numberOfSubtasks(), Long.MAX_VALUE, toArray(partitions))));
        } else {
            // Sent before end-of-data, so it always reaches the committer (unlike a final-checkpoint notification).
            output.collect(new StreamRecord<>(
                    CommitReport.endOfInput(subtask(), numberOfSubtasks(), toArray(partitions), copies(pending))));
        }
    }

    @Override
    public void close() throws Exception {
        // On failure or cancellation: open files are abandoned unpublished.
        if (openFiles != null) {
            for (OpenFile file : openFiles.values()) {
                try {
                    // Never closed for commit, so never published; a hidden file stays, an upload is abandoned.
                    file.stream.close();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("closing abandoned part file {} failed", file.finalPath, e);
                }
            }
            openFiles.clear();
            lastFile = null;
        }
        if (codecs != null) {
            codecs.releaseCodecs();
            codecs = null;
        }
        super.close();
    }

    private OpenFile open(long hourStart) throws IOException {
        Path finalPath = DatasetFiles.newPartFile(versionPath, hourStart, subtask());
        RecoverableFsDataOutputStream stream = fileWriter.open(finalPath);
        return new OpenFile(
                hourStart,
                finalPath,
                stream,
                DatasetWriteSupport.open(
                        new RecoverableOutputFile(stream, finalPath.toString()),
                        schema,
                        compression,
                        parquetMetadata,
                        codecs));
    }

    /** Writes the file's footer and closes it for commit: it becomes pending. */
    private void closeForCommit(OpenFile file) throws IOException {
        file.writer.close();
        pending.add(DatasetFiles.closeForCommit(fileWriter, file.stream, file.finalPath, file.hourStart));
    }

    /**
     * Closes the open file of the earliest hour early; it becomes pending and is committed with the
     * next checkpoint like any other. Bounds memory (every open Parquet writer holds its column and
     * compression buffers) when a backfill crosses many hours between two checkpoints; a row that
     * comes later for that hour starts another part file.
     */
    private void closeOldestOpenFile() throws IOException {
        OpenFile oldest = openFiles.pollFirstEntry().getValue();
        closeForCommit(oldest);
        if (lastFile == oldest) {
            lastFile = null;
        }
    }

    private void closeOpenFiles() throws IOException {
        for (OpenFile file : openFiles.values()) {
            closeForCommit(file);
        }
        openFiles.clear();
        lastFile = null;
    }

    private void commit(PendingFile file) throws IOException {
        if (DatasetFiles.commit(fileWriter, file)) {
            filesCommitted.inc();
        }
    }

    /** The rows of these checkpoints are committed now: their delay goes into {@code freshnessMs}. */
    private void recordVisible(Map<Long, EventTimeSample> committedCheckpoints) {
        long now = System.currentTimeMillis();
        committedCheckpoints.values().forEach(sample -> sample.recordVisible(freshness, now));
        committedCheckpoints.clear();
    }

    private void reject(String problem) {
        rowsRejected.inc();
        LOG.warn("dropped a row that does not match dataset {}: {}", schema.name(), problem);
    }

    private int subtask() {
        return getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    }

    private int numberOfSubtasks() {
        return getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
    }

    private static long[] toArray(TreeSet<Long> partitions) {
        return partitions.stream().mapToLong(Long::longValue).toArray();
    }

    private static PendingFile[] copies(List<PendingFile> files) {
        return files.stream().map(PendingFile::copy).toArray(PendingFile[]::new);
    }

    private record OpenFile(
            long hourStart, Path finalPath, RecoverableFsDataOutputStream stream, ParquetWriter<Object[]> writer) {}
}
