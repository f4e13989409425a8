package io.eventstream.jobs.common;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The late-event counter of one input stream: {@code lateEvents} in a {@code stream=<name>} group,
 * which Flink's Prometheus reporter exports as
 * {@code flink_taskmanager_job_task_operator_stream_lateEvents{stream="spam_input"}}. The stream
 * names are those of the {@code late_events} dataset's {@code stream} column, so the counter and the
 * rows it counts share one vocabulary.
 */
public final class LateEventMetrics {

    private LateEventMetrics() {}

    public static Counter counter(MetricGroup operatorGroup, String stream) {
        return operatorGroup.addGroup("stream", stream).counter("lateEvents");
    }
}
