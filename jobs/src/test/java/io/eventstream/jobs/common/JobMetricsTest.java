package io.eventstream.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.events.ReasonCode;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** The job-level metric pieces: lag gauges, dead letters by reason, late events by stream. */
class JobMetricsTest {

    /** Records every metric under its full path, key/value groups as {@code key=value}. */
    static final class RecordingGroup extends UnregisteredMetricsGroup {
        final Map<String, Metric> metrics;
        final String prefix;

        RecordingGroup() {
            this(new HashMap<>(), "");
        }

        private RecordingGroup(Map<String, Metric> metrics, String prefix) {
            this.metrics = metrics;
            this.prefix = prefix;
        }

        @Override
        public Counter counter(String name) {
            return counter(name, new SimpleCounter());
        }

        @Override
        public Counter counter(String name, Counter counter) {
            metrics.put(prefix + name, counter);
            return counter;
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            metrics.put(prefix + name, gauge);
            return gauge;
        }

        @Override
        public MetricGroup addGroup(String name) {
            return new RecordingGroup(metrics, prefix + name + ".");
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new RecordingGroup(metrics, prefix + key + "=" + value + ".");
        }

        long count(String path) {
            return ((Counter) metrics.get(path)).getCount();
        }

        double gauge(String path) {
            return ((Number) ((Gauge<?>) metrics.get(path)).getValue()).doubleValue();
        }
    }

    @Test
    void lagGaugesAreMeasuredWhenReadAndUnknownBeforeTheFirstRecord() {
        RecordingGroup group = new RecordingGroup();
        AtomicLong now = new AtomicLong(1_000_000);
        StreamLagMetrics lag = StreamLagMetrics.register(group, now::get);
        assertThat(group.gauge("eventTimeLagMs")).isNaN();
        assertThat(group.gauge("watermarkLagMs")).isNaN();

        lag.observe(990_000L, Long.MIN_VALUE); // a record, no watermark yet
        assertThat(group.gauge("eventTimeLagMs")).isEqualTo(10_000);
        assertThat(group.gauge("watermarkLagMs")).isNaN();

        lag.observe(995_000L, 985_000L);
        now.set(1_002_000);
        // Read later with no new record: both lags have grown with the clock.
        assertThat(group.gauge("eventTimeLagMs")).isEqualTo(7_000);
        assertThat(group.gauge("watermarkLagMs")).isEqualTo(17_000);

        lag.observe(null, 999_000L); // a record without a timestamp keeps the last event time
        assertThat(group.gauge("eventTimeLagMs")).isEqualTo(7_000);
        assertThat(group.gauge("watermarkLagMs")).isEqualTo(3_000);
        lag.observe(Long.MIN_VALUE, 999_000L);
        assertThat(group.gauge("eventTimeLagMs")).isEqualTo(7_000);
    }

    @Test
    void deadLettersAreCountedInTotalAndUnderTheirReasonLabel() {
        RecordingGroup group = new RecordingGroup();
        DeadLetterMetrics deadLetters = new DeadLetterMetrics(group);
        for (ReasonCode reason : ReasonCode.values()) {
            assertThat(group.count("reason=" + reason.name() + ".deadLetters"))
                    .as("registered up front")
                    .isZero();
        }
        ReasonCode first = ReasonCode.values()[0];
        ReasonCode last = ReasonCode.values()[ReasonCode.values().length - 1];
        deadLetters.count(first);
        deadLetters.count(first);
        deadLetters.count(last);
        assertThat(group.count("deadLetters")).isEqualTo(3);
        assertThat(group.count("reason=" + first.name() + ".deadLetters")).isEqualTo(2);
        assertThat(group.count("reason=" + last.name() + ".deadLetters")).isEqualTo(1);
    }

    @Test
    void lateEventsAreCountedUnderTheirStreamLabel() {
        RecordingGroup group = new RecordingGroup();
        LateEventMetrics.counter(group, "spam_labels").inc();
        assertThat(group.count("stream=spam_labels.lateEvents")).isEqualTo(1);
    }
}
