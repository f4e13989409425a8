package io.eventstream.jobs.common;

import io.eventstream.connectors.source.RawEvent;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where a job reads its raw events: JSON-lines files or Kafka (the run commands' {@code --input} /
 * {@code --kafka}), the archive then Kafka (a backfill), a test's wrapped production source. A
 * job's workflow ({@code SpamTopology.defineWorkflow} and its siblings) asks it for the stream
 * with the job's own watermarks, which the source must generate per split ({@link RawEventTime}).
 */
@FunctionalInterface
public interface RawEventSource {

    /** The raw events on {@code env}, with {@code watermarks} generated per source split. */
    DataStream<RawEvent> create(StreamExecutionEnvironment env, WatermarkStrategy<RawEvent> watermarks);
}
