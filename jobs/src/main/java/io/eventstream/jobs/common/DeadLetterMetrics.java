package io.eventstream.jobs.common;

import io.eventstream.features.events.ReasonCode;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Dead-letter counters: {@code deadLetters} in total, and {@code deadLetters} in a {@code reason=<REASON>}
 * group per reason code (a {@code reason} label in Prometheus), every reason registered up front so
 * a rate over it starts at 0.
 */
public final class DeadLetterMetrics {
    private final Counter total;
    private final Map<ReasonCode, Counter> byReason = new EnumMap<>(ReasonCode.class);

    public DeadLetterMetrics(MetricGroup group) {
        this.total = group.counter("deadLetters");
        for (ReasonCode reason : ReasonCode.values()) {
            byReason.put(reason, group.addGroup("reason", reason.name()).counter("deadLetters"));
        }
    }

    public void count(ReasonCode reason) {
        total.inc();
        byReason.get(reason).inc();
    }
}
