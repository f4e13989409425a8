package io.eventstream.jobs.testing;

import io.eventstream.connectors.source.RawEvent;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Fault injection at a known point of the stream: passes records through and, at the
 * {@code at}-th record over all subtasks, runs an action once (stop a store, restart a broker),
 * synchronously, so every record after it meets the fault. Also records the highest attempt number
 * it ran in, which tells whether the job restarted. Static state, because the function instances of
 * a restarted attempt are new objects: one such test at a time per JVM.
 *
 * <pre>{@code
 * OutageAt.arm(40_000, redis::stop);
 * JobUnderTest.files(job, events).beforeTopology(OutageAt::insert).run(out);
 * assertThat(OutageAt.triggered()).isTrue();
 * }</pre>
 */
public final class OutageAt extends RichMapFunction<RawEvent, RawEvent> {
    private static final long serialVersionUID = 1L;
    private static final AtomicLong RECORDS = new AtomicLong();
    private static final AtomicBoolean TRIGGERED = new AtomicBoolean();
    private static final AtomicInteger HIGHEST_ATTEMPT = new AtomicInteger();
    private static volatile long at;
    private static volatile Runnable action;

    /** Arms the action for the next run. */
    public static void arm(long record, Runnable faultAction) {
        RECORDS.set(0);
        TRIGGERED.set(false);
        HIGHEST_ATTEMPT.set(0);
        at = record;
        action = faultAction;
    }

    /** The raw stream with this function between the source and the topology. */
    public static DataStream<RawEvent> insert(DataStream<RawEvent> raw) {
        return raw.map(new OutageAt())
                .returns(TypeInformation.of(RawEvent.class))
                .name("outage at")
                .uid("outage-at");
    }

    /** Whether the action ran. */
    public static boolean triggered() {
        return TRIGGERED.get();
    }

    /** The highest attempt number a subtask of this function ran in: 0 when the job never restarted. */
    public static int highestAttempt() {
        return HIGHEST_ATTEMPT.get();
    }

    @Override
    public RawEvent map(RawEvent event) {
        HIGHEST_ATTEMPT.accumulateAndGet(getRuntimeContext().getTaskInfo().getAttemptNumber(), Math::max);
        if (RECORDS.incrementAndGet() >= at && TRIGGERED.compareAndSet(false, true)) {
            action.run();
        }
        return event;
    }
}
