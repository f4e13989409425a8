package io.eventstream.jobs.spam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.RowSets;
import io.eventstream.jobs.testing.SpamJobUnderTest;
import io.eventstream.jobs.testing.SpamJobUnderTest.SpamJobRun;
import io.eventstream.jobs.testing.SpamTestData;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure in the middle of the stream: the job restarts from its last completed checkpoint and
 * ends with exactly the datasets and online table of a run without failure (the command-line run):
 * no row lost, none duplicated, the online table identical.
 */
@ExtendWith(FlinkTestCluster.class)
class SpamJobFailureTest {

    @Test
    void aFailureMidStreamRestartsFromTheCheckpointWithoutLosingOrDuplicatingRows(@TempDir Path out) throws Exception {
        FailOnce.reset(40_000);
        SpamJobRun failed = SpamJobUnderTest.files(SpamTestData.eventsFile()).parallelism(2).restarts(3)
                .beforeTopology(raw -> raw.map(new FailOnce()).returns(TypeInformation.of(RawEvent.class))
                        .name("fail once").uid("fail-once"))
                .run(out);

        assertThat(FailOnce.FAILED).as("the injected failure happened").isTrue();
        assertThat(FailOnce.recordsAtFailure.get()).isGreaterThanOrEqualTo(40_000);
        assertThat(FailOnce.recordsInCompletedCheckpoint.get())
                .as("records covered by a checkpoint completed before the failure")
                .isPositive().isLessThan(FailOnce.recordsAtFailure.get());
        assertThat(FailOnce.RESTARTED).as("a restarted attempt processed records").isTrue();

        SpamJobRun clean = SpamTestData.cliRun();
        RowSets.assertSameRows("spam_features after a failure", SpamTestData.FEATURE_SET.featureSchema(), "event_id",
                clean.features(), failed.features());
        RowSets.assertSameRows("spam_labels after a failure", SpamLabels.SCHEMA, "label_event_id", clean.labels(),
                failed.labels());
        assertThat(failed.lateEvents()).isEmpty();
        assertThat(failed.deadLetters()).isEmpty();
        RowSets.assertSameRows("online table after a failure", SpamTestData.FEATURE_SET.onlineSchema(),
                clean.online().rows(), failed.online().rows());
    }

    /**
     * Passes records through and throws once, at the first record after {@code failAfter} records
     * (over all subtasks) once a checkpoint covering some records has completed. Static state: the
     * function instances of the restarted attempt are new objects.
     */
    static final class FailOnce extends RichMapFunction<RawEvent, RawEvent> implements CheckpointedFunction, CheckpointListener {
        private static final long serialVersionUID = 1L;
        static final AtomicLong RECORDS = new AtomicLong();
        static final AtomicLong recordsAtFailure = new AtomicLong();
        static final AtomicLong recordsInCompletedCheckpoint = new AtomicLong();
        static final Map<Long, Long> RECORDS_AT_SNAPSHOT = new ConcurrentHashMap<>();
        static volatile boolean FAILED;
        static volatile boolean RESTARTED;
        private static volatile long failAfter;

        static void reset(long records) {
            failAfter = records;
            RECORDS.set(0);
            recordsAtFailure.set(0);
            recordsInCompletedCheckpoint.set(0);
            RECORDS_AT_SNAPSHOT.clear();
            FAILED = false;
            RESTARTED = false;
        }

        @Override
        public RawEvent map(RawEvent raw) {
            long seen = RECORDS.incrementAndGet();
            if (getRuntimeContext().getTaskInfo().getAttemptNumber() > 0) {
                RESTARTED = true;
            } else if (!FAILED && seen >= failAfter && recordsInCompletedCheckpoint.get() > 0) {
                FAILED = true;
                recordsAtFailure.set(seen);
                throw new IllegalStateException("injected failure after " + seen + " records");
            }
            return raw;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            RECORDS_AT_SNAPSHOT.put(context.getCheckpointId(), RECORDS.get());
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (!FAILED) {
                recordsInCompletedCheckpoint.accumulateAndGet(RECORDS_AT_SNAPSHOT.getOrDefault(checkpointId, 0L), Math::max);
            }
        }
    }
}
