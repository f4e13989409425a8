package io.eventstream.connectors.source;

import io.eventstream.features.events.CloudEventJson;
import java.util.Properties;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.fs.Path;

/**
 * The job's input sources. Both emit {@link RawEvent}s, so one topology serves Kafka in production
 * and files for local runs and backfills; tests use the production Kafka source made bounded.
 */
public final class EventSources {

    private EventSources() {}

    /**
     * The Kafka source of CloudEvents (structured or binary mode), one {@link RawEvent} per record.
     *
     * @param bootstrap  Kafka bootstrap servers
     * @param topic      the topic to read
     * @param groupId    consumer group; offsets are committed to it on checkpoints (for monitoring
     *                   lag only: on restore the job resumes from its checkpoint, not from the group)
     * @param starting   where to start without a checkpoint, e.g. {@code OffsetsInitializer.earliest()}
     *                   or {@code committedOffsets(OffsetResetStrategy.EARLIEST)}
     * @param bounded    stop at the partitions' latest offsets as of the job's start (tests,
     *                   backfills) instead of reading forever
     */
    public static KafkaSource<RawEvent> kafka(
            String bootstrap, String topic, String groupId, OffsetsInitializer starting, boolean bounded) {
        return kafka(bootstrap, topic, groupId, starting, bounded, new Properties());
    }

    /**
     * As {@link #kafka(String, String, String, OffsetsInitializer, boolean)}, with extra consumer
     * properties (security settings such as {@code security.protocol}, {@code sasl.*}, {@code ssl.*}).
     */
    public static KafkaSource<RawEvent> kafka(
            String bootstrap,
            String topic,
            String groupId,
            OffsetsInitializer starting,
            boolean bounded,
            Properties consumerProperties) {
        // Extra properties first, so the explicit arguments win over them.
        KafkaSourceBuilder<RawEvent> builder = KafkaSource.<RawEvent>builder()
                .setProperties(consumerProperties)
                .setBootstrapServers(bootstrap)
                .setTopics(topic)
                .setGroupId(groupId)
                .setClientIdPrefix(groupId)
                .setStartingOffsets(starting)
                .setDeserializer(new RawEventKafkaDeserializer());
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /**
     * A bounded, checkpointable source over JSON-lines files (or directories of them, read
     * recursively), one {@link RawEvent} per non-blank line with origin {@code file:<path>:<line>}.
     * Lines longer than {@link CloudEventJson#DEFAULT_MAX_BYTES} are capped (see {@link JsonLinesFormat}).
     */
    public static FileSource<RawEvent> jsonLines(Path... files) {
        return jsonLines(CloudEventJson.DEFAULT_MAX_BYTES, files);
    }

    /** As {@link #jsonLines(Path...)} with a line limit; match it to the decoder's {@code maxBytes}. */
    public static FileSource<RawEvent> jsonLines(int maxLineBytes, Path... files) {
        if (files.length == 0) {
            throw new IllegalArgumentException("jsonLines needs at least one file");
        }
        return FileSource.forBulkFileFormat(new JsonLinesFormat(maxLineBytes), files)
                .build();
    }
}
