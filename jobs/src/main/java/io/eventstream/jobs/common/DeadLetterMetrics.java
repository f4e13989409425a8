package io.eventstream.jobs.common;

import io.eventstream.features.events.ReasonCode;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** Dead-letter counters: {@code deadLetters} in total and {@code deadLetters.<REASON>} per reason code. */
public final class DeadLetterMetrics {
    private final Counter total;
    private final Map<ReasonCode, Counter> byReason = new EnumMap<>(ReasonCode.class);

    public DeadLetterMetrics(MetricGroup group) {
        this.total = group.counter("deadLetters");
        MetricGroup reasons = group.addGroup("deadLetters");
        for (ReasonCode reason : ReasonCode.values()) {
            byReason.put(reason, reasons.counter(reason.name()));
        }
    }

    public void count(ReasonCode reason) {
        total.inc();
        byReason.get(reason).inc();
    }
}
