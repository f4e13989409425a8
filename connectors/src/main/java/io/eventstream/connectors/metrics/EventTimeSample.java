package io.eventstream.connectors.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A uniform sample (reservoir, Vitter's algorithm R) of the event times of the rows a dataset writer
 * wrote between two checkpoints, with their exact count, oldest and newest. The rows become visible
 * together when the next checkpoint completes; the sample then feeds {@link EventTimeDelay} without
 * keeping every row's time (a checkpoint interval can hold millions of rows).
 *
 * <p>Not thread-safe: used by one operator in its task thread.
 */
public final class EventTimeSample {

    /** Event times kept per checkpoint interval and writer subtask. */
    public static final int CAPACITY = 256;

    private final long[] sample;
    private final SplittableRandom random;
    private long count;
    private long oldest = Long.MAX_VALUE;
    private long newest = Long.MIN_VALUE;

    public EventTimeSample() {
        this(CAPACITY, new SplittableRandom());
    }

    EventTimeSample(int capacity, SplittableRandom random) {
        this.sample = new long[capacity];
        this.random = random;
    }

    /** Adds one row's event time. */
    public void add(long eventTimeMillis) {
        if (count < sample.length) {
            sample[(int) count] = eventTimeMillis;
        } else {
            long slot = random.nextLong(count + 1);
            if (slot < sample.length) {
                sample[(int) slot] = eventTimeMillis;
            }
        }
        count++;
        oldest = Math.min(oldest, eventTimeMillis);
        newest = Math.max(newest, eventTimeMillis);
    }

    /** Rows added (not only those sampled). */
    public long count() {
        return count;
    }

    /** Oldest event time added; {@link Long#MAX_VALUE} when empty. */
    public long oldest() {
        return oldest;
    }

    /** Newest event time added; {@link Long#MIN_VALUE} when empty. */
    public long newest() {
        return newest;
    }

    /** The sampled event times (all of them while at most {@link #CAPACITY} were added). */
    public long[] sampled() {
        return Arrays.copyOf(sample, (int) Math.min(count, sample.length));
    }

    /** Records every sampled time as visible at {@code visibleAtMillis}. */
    public void recordVisible(EventTimeDelay delay, long visibleAtMillis) {
        for (int i = 0, n = (int) Math.min(count, sample.length); i < n; i++) {
            delay.record(visibleAtMillis, sample[i]);
        }
    }
}
