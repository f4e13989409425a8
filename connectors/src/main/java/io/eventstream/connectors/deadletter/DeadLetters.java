package io.eventstream.connectors.deadletter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.events.CloudEventJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * Where dead letters go: a Kafka topic (JSON, one object per record) and/or the {@code dead_letters}
 * dataset ({@link #schema()}, rows from {@link #toRow(DeadLetter)}).
 *
 * <p>JSON form, field names as the dataset's columns:
 * <pre>{@code
 * {"origin":"kafka:events/0@42","reason":"MALFORMED_JSON","field":null,"message":"not valid JSON: ...",
 *  "raw_sha256":"9f86d0...","raw_size":5,"ingest_time":"2024-03-01T10:15:30.123Z"}
 * }</pre>
 *
 * <p>Neither form carries the raw bytes (they may hold emails, names, note bodies): an operator who
 * needs them opts in to {@link RawDeadLetters}, a separate root with a retention period.
 */
public final class DeadLetters {

    /** Dataset name of the dead-letter dataset. */
    public static final String DATASET = "dead_letters";

    private static final DatasetSchema SCHEMA = new DatasetSchema(
            DATASET,
            List.of(
                    Column.required(
                            "origin",
                            ColumnType.STRING,
                            "where the record came from: kafka:<topic>/<partition>@<offset> or file:<path>:<line>"),
                    Column.required("reason", ColumnType.STRING, "ReasonCode name, e.g. MALFORMED_JSON"),
                    Column.nullable(
                            "field",
                            ColumnType.STRING,
                            "JSON path of the offending field, e.g. data.author_id; null when not about one field"),
                    Column.required("message", ColumnType.STRING, "what is wrong; never payload text"),
                    Column.required(
                            "raw_sha256",
                            ColumnType.STRING,
                            "SHA-256 (hex) of the record's bytes as the source delivered them: finds the same record in the "
                                    + "input or the opt-in raw store without keeping its content"),
                    Column.required("raw_size", ColumnType.LONG, "size of the whole record value in bytes"),
                    Column.required(
                            "ingest_time", ColumnType.TIMESTAMP_MILLIS, "when the job dead-lettered the record (UTC)")),
            "ingest_time");

    /** Thread-safe and stateless: one for all tasks of the JVM. */
    private static final JsonFactory JSON = new JsonFactory();

    private DeadLetters() {}

    /** Columns of the {@code dead_letters} dataset, partitioned by {@code ingest_time}. */
    public static DatasetSchema schema() {
        return SCHEMA;
    }

    /** A dataset row of {@link #schema()}. */
    public static Object[] toRow(DeadLetter letter) {
        return new Object[] {
            letter.origin,
            letter.reason,
            letter.field,
            letter.message,
            letter.rawSha256,
            letter.rawSize,
            letter.ingestTime
        };
    }

    /**
     * A sink writing dead letters as JSON to {@code topic}, without a key.
     *
     * <p>At-least-once: records are flushed on every checkpoint, so after a restart the letters
     * since the last checkpoint can be written again. Consumers that care deduplicate by
     * {@code origin}, which identifies the input record. Exactly-once would need Kafka transactions
     * and readers in {@code read_committed} mode, a cost not worth paying for diagnostics.
     */
    public static KafkaSink<DeadLetter> kafkaSink(String bootstrap, String topic) {
        return kafkaSink(bootstrap, topic, new Properties());
    }

    /** As {@link #kafkaSink(String, String)}, with extra producer properties (security settings). */
    public static KafkaSink<DeadLetter> kafkaSink(String bootstrap, String topic, Properties producerProperties) {
        return KafkaSink.<DeadLetter>builder()
                .setKafkaProducerConfig(producerProperties)
                .setBootstrapServers(bootstrap)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setRecordSerializer(KafkaRecordSerializationSchema.<DeadLetter>builder()
                        .setTopic(topic)
                        .setValueSerializationSchema(new JsonSerializer())
                        .build())
                .build();
    }

    /** The JSON form of one dead letter (UTF-8). */
    public static byte[] toJson(DeadLetter letter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(320);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("origin", letter.origin);
            json.writeStringField("reason", letter.reason);
            json.writeStringField("field", letter.field);
            json.writeStringField("message", letter.message);
            json.writeStringField("raw_sha256", letter.rawSha256);
            json.writeNumberField("raw_size", letter.rawSize);
            json.writeStringField("ingest_time", CloudEventJson.formatTime(Instant.ofEpochMilli(letter.ingestTime)));
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Serializes dead letters for the Kafka sink. */
    static final class JsonSerializer implements SerializationSchema<DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(DeadLetter letter) {
            return toJson(letter);
        }
    }
}
