package io.eventstream.jobs.testing;

import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/** What the keyed-function harness tests of every job do with Flink's operator test harnesses. */
public final class OperatorHarnesses {

    private OperatorHarnesses() {}

    /**
     * Feeds inputs in the given order, each followed by the watermark a bounded-out-of-orderness
     * strategy emits after it ({@code max time so far - bound - 1}).
     */
    public static <I> void feedWithWatermarks(
            OneInputStreamOperatorTestHarness<I, ?> harness, List<I> inputs, ToLongFunction<I> timeOf, long boundMillis)
            throws Exception {
        long maxTime = Long.MIN_VALUE;
        for (I input : inputs) {
            long time = timeOf.applyAsLong(input);
            harness.processElement(input, time);
            maxTime = Math.max(maxTime, time);
            harness.processWatermark(maxTime - boundMillis - 1);
        }
    }

    /** Restores a new, unopened harness from a snapshot and opens it, as a restart from a checkpoint does. */
    public static <H extends AbstractStreamOperatorTestHarness<?>> H restored(H harness, OperatorSubtaskState snapshot)
            throws Exception {
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        return harness;
    }
}
