package io.eventstream.jobs.reviewers;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.reviewers.ReviewerInput;
import io.eventstream.features.reviewers.ReviewerTileWork;
import io.eventstream.jobs.testing.OperatorHarnesses;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.apache.flink.util.OutputTag;

/**
 * The reviewer job's two keyed functions in Flink's keyed operator harnesses, as the job chains
 * them: {@link ReviewerFeatureFunction} per project, whose work goes, encoded, to
 * {@link ReviewerBucketFunction} per user bucket before each watermark follows it.
 */
final class ReviewerStagesHarness implements AutoCloseable {
    /** Snapshots of both harnesses, taken together. */
    record Snapshot(OperatorSubtaskState projects, OperatorSubtaskState buckets) {}

    final KeyedOneInputStreamOperatorTestHarness<Long, ReviewerInput, ReviewerTileWork> projects;
    final KeyedOneInputStreamOperatorTestHarness<Long, ReviewerTileWork, Row> buckets;
    private int forwarded;

    ReviewerStagesHarness(
            ReviewerJobConfig config,
            OutputTag<Row> labels,
            OutputTag<Row> onlineUsers,
            OutputTag<Row> onlinePaths,
            OutputTag<Row> late)
            throws Exception {
        KeySelector<ReviewerInput, Long> byProject = input -> input.projectId;
        KeySelector<ReviewerTileWork, Long> byBucket = ReviewerTileWork::key;
        projects = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ReviewerFeatureFunction(config, labels, onlineUsers, late)),
                byProject,
                Types.LONG);
        buckets = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ReviewerBucketFunction(config, onlinePaths, late, false)),
                byBucket,
                Types.LONG);
    }

    void open() throws Exception {
        projects.open();
        buckets.open();
    }

    /** Restores both harnesses from a snapshot and opens them, as a restart from a checkpoint does. */
    void restore(Snapshot snapshot) throws Exception {
        OperatorHarnesses.restored(projects, snapshot.projects());
        OperatorHarnesses.restored(buckets, snapshot.buckets());
    }

    Snapshot snapshot(long checkpointId) throws Exception {
        return new Snapshot(
                projects.snapshot(checkpointId, checkpointId), buckets.snapshot(checkpointId, checkpointId));
    }

    void processElement(ReviewerInput input) throws Exception {
        projects.processElement(input, input.timeMillis);
        forward();
    }

    void processWatermark(long watermark) throws Exception {
        projects.processWatermark(watermark);
        forward();
        buckets.processWatermark(watermark);
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

    int numKeyedStateEntries() {
        return projects.numKeyedStateEntries() + buckets.numKeyedStateEntries();
    }

    @Override
    public void close() throws Exception {
        projects.close();
        buckets.close();
    }
}
