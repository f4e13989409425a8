package io.eventstream.jobs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.source.RawEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Failure injection for restart tests: passes records through and throws once, at the first record
 * after {@code failAfter} records (over all subtasks) once a checkpoint covering some records has
 * completed. Past {@code failAfter} and until such a checkpoint completes it holds each record for
 * {@value #HOLD_MILLIS} ms, so that one completes before a short input ends (the output does not depend
 * on timing). Static state, because the function instances of the restarted attempt are new
 * objects: one failure test at a time per JVM.
 *
 * <pre>{@code
 * FailOnce.reset(40_000);
 * JobUnderTest.files(job, events).restarts(3).beforeTopology(FailOnce::insert).run(out);
 * FailOnce.assertFailedAndRestarted(40_000);
 * }</pre>
 */
public final class FailOnce extends RichMapFunction<RawEvent, RawEvent>
        implements CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;
    private static final AtomicLong RECORDS = new AtomicLong();
    private static final AtomicLong RECORDS_AT_FAILURE = new AtomicLong();
    private static final AtomicLong RECORDS_IN_COMPLETED_CHECKPOINT = new AtomicLong();
    private static final Map<Long, Long> RECORDS_AT_SNAPSHOT = new ConcurrentHashMap<>();
    private static volatile boolean failed;
    private static volatile boolean restarted;
    private static volatile long failAfter;
    /** How long each record past {@code failAfter} is held until a checkpoint completes. */
    private static final long HOLD_MILLIS = 5;

    /** Arms the failure for the next run. */
    public static void reset(long records) {
        failAfter = records;
        RECORDS.set(0);
        RECORDS_AT_FAILURE.set(0);
        RECORDS_IN_COMPLETED_CHECKPOINT.set(0);
        RECORDS_AT_SNAPSHOT.clear();
        failed = false;
        restarted = false;
    }

    /** The raw stream with this function between the source and the topology. */
    public static DataStream<RawEvent> insert(DataStream<RawEvent> raw) {
        return raw.map(new FailOnce())
                .returns(TypeInformation.of(RawEvent.class))
                .name("fail once")
                .uid("fail-once");
    }

    /**
     * Asserts the run went as planned: the failure happened after {@code failAfter} records, a
     * checkpoint completed before it covered some but not all of them, and a restarted attempt
     * processed records.
     */
    public static void assertFailedAndRestarted(long failAfterRecords) {
        assertThat(failed).as("the injected failure happened").isTrue();
        assertThat(RECORDS_AT_FAILURE.get()).isGreaterThanOrEqualTo(failAfterRecords);
        assertThat(RECORDS_IN_COMPLETED_CHECKPOINT.get())
                .as("records covered by a checkpoint completed before the failure")
                .isPositive()
                .isLessThan(RECORDS_AT_FAILURE.get());
        assertThat(restarted).as("a restarted attempt processed records").isTrue();
    }

    @Override
    public RawEvent map(RawEvent raw) throws InterruptedException {
        long seen = RECORDS.incrementAndGet();
        if (getRuntimeContext().getTaskInfo().getAttemptNumber() > 0) {
            restarted = true;
        } else if (!failed && seen >= failAfter) {
            if (RECORDS_IN_COMPLETED_CHECKPOINT.get() > 0) {
                failed = true;
                RECORDS_AT_FAILURE.set(seen);
                throw new IllegalStateException("injected failure after " + seen + " records");
            }
            // Checkpoint barriers pass between records: slowing down lets one complete before the input ends. At
            // 1 ms a record, the 4,300 records left of a small input on HDFS once ended first (the first checkpoint
            // there is slow); holding longer costs nothing once a checkpoint completes, which ends the holding.
            Thread.sleep(HOLD_MILLIS);
        }
        return raw;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        RECORDS_AT_SNAPSHOT.put(context.getCheckpointId(), RECORDS.get());
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {}

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (!failed) {
            RECORDS_IN_COMPLETED_CHECKPOINT.accumulateAndGet(
                    RECORDS_AT_SNAPSHOT.getOrDefault(checkpointId, 0L), Math::max);
        }
    }
}
