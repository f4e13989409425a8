package io.eventstream.jobs.common;

import java.util.function.LongSupplier;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * How far a job's first operator runs behind the wall clock, as two gauges in milliseconds, read
 * when the metric reporter asks (so a source that has stopped delivering shows a growing lag):
 *
 * <ul>
 *   <li>{@code eventTimeLagMs}: now − event time of the last record read: the consumer's lag in time
 *       (a backlog in Kafka, or events that reached Kafka late);</li>
 *   <li>{@code watermarkLagMs}: now − the current watermark: how long rows wait before the keyed
 *       operators apply them (at least the out-of-orderness bound), and what stalls when a partition
 *       stops advancing.</li>
 * </ul>
 * Both are NaN until the subtask has seen a record (respectively a watermark), so an alert
 * comparing them with a threshold stays quiet instead of reporting a lag of 0 or of 55 years.
 */
public final class StreamLagMetrics {

    private final LongSupplier clock;
    private volatile long lastEventTime = Long.MIN_VALUE;
    private volatile long watermark = Long.MIN_VALUE;

    private StreamLagMetrics(LongSupplier clock) {
        this.clock = clock;
    }

    /** Registers the gauges on {@code group}, measured against {@code clock} (epoch millis). */
    public static StreamLagMetrics register(MetricGroup group, LongSupplier clock) {
        StreamLagMetrics metrics = new StreamLagMetrics(clock);
        group.gauge("eventTimeLagMs", (Gauge<Double>) metrics::eventTimeLagMillis);
        group.gauge("watermarkLagMs", (Gauge<Double>) metrics::watermarkLagMillis);
        return metrics;
    }

    public static StreamLagMetrics register(MetricGroup group) {
        return register(group, System::currentTimeMillis);
    }

    /**
     * A record was read.
     *
     * @param eventTime        its event time (the source's timestamp), null or {@code Long.MIN_VALUE} when it has none
     * @param currentWatermark the operator's current watermark
     */
    public void observe(Long eventTime, long currentWatermark) {
        if (eventTime != null && eventTime != Long.MIN_VALUE) {
            lastEventTime = eventTime;
        }
        if (currentWatermark != watermark) {
            watermark = currentWatermark;
        }
    }

    public double eventTimeLagMillis() {
        long time = lastEventTime;
        return time == Long.MIN_VALUE ? Double.NaN : clock.getAsLong() - time;
    }

    public double watermarkLagMillis() {
        long mark = watermark;
        return mark == Long.MIN_VALUE ? Double.NaN : clock.getAsLong() - mark;
    }
}
