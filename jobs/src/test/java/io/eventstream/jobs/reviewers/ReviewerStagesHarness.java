package io.eventstream.jobs.reviewers;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.reviewers.ReviewerInput;
import io.eventstream.features.reviewers.ReviewerTileWork;
import io.eventstream.jobs.testing.OperatorHarnesses;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.checkpoint.SnapshotType;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.apache.flink.util.OutputTag;

/**
 * The reviewer job's keyed functions in Flink's keyed operator harnesses, as the job chains them:
 * {@link ReviewerFeatureFunction} per project and, with {@code state.user_buckets} N > 0,
 * {@link ReviewerBucketFunction} per user bucket, which gets the first one's work, encoded, before each
 * watermark that follows it. On the heap backend or on RocksDB, with the state layout the job keeps on
 * RocksDB ({@code perEntry}) or on the heap (the functions' {@code onRocksDb} flag picks it).
 */
final class ReviewerStagesHarness implements AutoCloseable {
    /** Snapshots of the harnesses, taken together ({@code buckets} null without buckets). */
    record Snapshot(OperatorSubtaskState projects, OperatorSubtaskState buckets) {}

    final KeyedOneInputStreamOperatorTestHarness<Long, ReviewerInput, ReviewerTileWork> projects;
    /** Null with {@code state.user_buckets} 0. */
    final KeyedOneInputStreamOperatorTestHarness<Long, ReviewerTileWork, Row> buckets;

    private final OutputTag<Row> candidates;
    private final OutputTag<Row> onlinePaths;
    private int forwarded;

    ReviewerStagesHarness(
            ReviewerJobConfig config,
            OutputTag<Row> candidates,
            OutputTag<Row> labels,
            OutputTag<Row> onlineUsers,
            OutputTag<Row> onlinePaths,
            OutputTag<Row> late,
            boolean rocksDb,
            boolean perEntry)
            throws Exception {
        this.candidates = candidates;
        this.onlinePaths = onlinePaths;
        KeySelector<ReviewerInput, Long> byProject = input -> input.projectId;
        projects = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ReviewerFeatureFunction(
                        config, candidates, labels, onlineUsers, onlinePaths, late, perEntry)),
                byProject,
                Types.LONG);
        KeySelector<ReviewerTileWork, Long> byBucket = ReviewerTileWork::key;
        buckets = config.userBuckets() == 0
                ? null
                : new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new ReviewerBucketFunction(config, onlinePaths, late, perEntry)),
                        byBucket,
                        Types.LONG);
        if (rocksDb) {
            projects.setStateBackend(new EmbeddedRocksDBStateBackend());
            if (buckets != null) {
                buckets.setStateBackend(new EmbeddedRocksDBStateBackend());
            }
        }
    }

    void open() throws Exception {
        projects.open();
        if (buckets != null) {
            buckets.open();
        }
    }

    /** Restores the harnesses from a snapshot and opens them, as a restart from a checkpoint does. */
    void restore(Snapshot snapshot) throws Exception {
        OperatorHarnesses.restored(projects, snapshot.projects());
        if (buckets != null) {
            OperatorHarnesses.restored(buckets, snapshot.buckets());
        }
    }

    Snapshot snapshot(long checkpointId) throws Exception {
        return new Snapshot(
                projects.snapshot(checkpointId, checkpointId),
                buckets == null ? null : buckets.snapshot(checkpointId, checkpointId));
    }

    /**
     * A savepoint in the canonical format, which either backend restores (a checkpoint of the heap backend
     * is in a format of its own).
     */
    Snapshot savepoint(long checkpointId) throws Exception {
        SnapshotType savepoint = SavepointType.savepoint(SavepointFormatType.CANONICAL);
        return new Snapshot(
                projects.snapshotWithLocalState(checkpointId, checkpointId, savepoint)
                        .getJobManagerOwnedState(),
                buckets == null
                        ? null
                        : buckets.snapshotWithLocalState(checkpointId, checkpointId, savepoint)
                                .getJobManagerOwnedState());
    }

    void processElement(ReviewerInput input) throws Exception {
        projects.processElement(input, input.timeMillis);
        forward();
    }

    void processWatermark(long watermark) throws Exception {
        projects.processWatermark(watermark);
        forward();
        if (buckets != null) {
            buckets.processWatermark(watermark);
        }
    }

    /** Feeds inputs in order, each followed by the watermark of a bounded-out-of-orderness strategy. */
    void feed(List<ReviewerInput> inputs, long boundMillis) throws Exception {
        long maxTime = Long.MIN_VALUE;
        for (ReviewerInput input : inputs) {
            processElement(input);
            maxTime = Math.max(maxTime, input.timeMillis);
            processWatermark(maxTime - boundMillis - 1);
        }
    }

    /** Passes the project harness's new work to the bucket harness, each as the network would: decoded anew. */
    private void forward() throws Exception {
        List<StreamRecord<? extends ReviewerTileWork>> records = projects.extractOutputStreamRecords();
        for (int i = forwarded; i < records.size(); i++) {
            ReviewerTileWork sent = records.get(i).getValue();
            ReviewerTileWork received = new ReviewerTileWork();
            received.projectId = sent.projectId;
            received.bucket = sent.bucket;
            received.eventId = sent.eventId;
            received.timeMillis = sent.timeMillis;
            received.payload = sent.payload.clone();
            buckets.processElement(received, records.get(i).getTimestamp());
        }
        forwarded = records.size();
    }

    /** The candidate rows so far. */
    List<Row> candidateRows() {
        return buckets == null ? side(projects, candidates) : buckets.extractOutputValues();
    }

    /** The online prefix rows so far. */
    List<Row> onlinePathRows() {
        return side(buckets == null ? projects : buckets, onlinePaths);
    }

    /** The rows of a side output so far. */
    static List<Row> side(KeyedOneInputStreamOperatorTestHarness<Long, ?, ?> harness, OutputTag<Row> tag) {
        ConcurrentLinkedQueue<StreamRecord<Row>> records = harness.getSideOutput(tag);
        List<Row> rows = new ArrayList<>();
        if (records != null) {
            records.forEach(r -> rows.add(r.getValue()));
        }
        return rows;
    }

    int numKeyedStateEntries() {
        return projects.numKeyedStateEntries() + (buckets == null ? 0 : buckets.numKeyedStateEntries());
    }

    int numEventTimeTimers() {
        return projects.numEventTimeTimers() + (buckets == null ? 0 : buckets.numEventTimeTimers());
    }

    @Override
    public void close() throws Exception {
        projects.close();
        if (buckets != null) {
            buckets.close();
        }
    }
}
