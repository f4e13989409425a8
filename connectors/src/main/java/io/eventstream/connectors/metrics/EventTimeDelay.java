package io.eventstream.connectors.metrics;

import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * A histogram of how long after their event time rows became visible to readers (an online write,
 * a dataset commit), in milliseconds: the features' freshness as a reader sees it. Flink's
 * Prometheus reporter exports it as a summary (quantiles over the last {@link #WINDOW} samples,
 * plus {@code _count}).
 *
 * <p>A row whose event time lies ahead of the clock (skew between GitLab and the job's machine)
 * counts as delay 0, not as a negative delay that would drag the quantiles down.
 */
public final class EventTimeDelay {

    /** Samples the quantiles are computed over: enough for a stable p99, little memory per subtask. */
    public static final int WINDOW = 4096;

    private final Histogram histogram;

    public EventTimeDelay(Histogram histogram) {
        this.histogram = histogram;
    }

    /** Registers the histogram {@code name} on {@code group}. */
    public static EventTimeDelay register(MetricGroup group, String name) {
        return new EventTimeDelay(group.histogram(name, new DescriptiveStatisticsHistogram(WINDOW)));
    }

    /** One row of event time {@code eventTimeMillis} became visible at {@code visibleAtMillis}. */
    public void record(long visibleAtMillis, long eventTimeMillis) {
        if (eventTimeMillis == Long.MIN_VALUE) {
            return; // no event time: nothing to measure
        }
        histogram.update(Math.max(0L, visibleAtMillis - eventTimeMillis));
    }

    public Histogram histogram() {
        return histogram;
    }
}
