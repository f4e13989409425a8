package io.eventstream.connectors.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.Decoded;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces CloudEvents to a Kafka topic, keyed by the {@code partitionkey} extension so one
 * entity's events stay ordered in one partition. Sends are asynchronous and batched (linger,
 * large batches, lz4) for throughput; {@link #flush()} waits for all of them and reports the first
 * failure. Not thread-safe: one writer per producing thread.
 *
 * <pre>{@code
 * try (KafkaEventWriter writer = new KafkaEventWriter(bootstrap, "events", KafkaEventWriter.Mode.STRUCTURED)) {
 *     events.forEach(writer::write);
 * }   // close() flushes
 * }</pre>
 */
public final class KafkaEventWriter implements AutoCloseable {

    /** How events are put into records. */
    public enum Mode {
        /** The whole event as JSON in the value ({@code application/cloudevents+json}). */
        STRUCTURED,
        /** Attributes in {@code ce_*} headers, the data alone in the value. */
        BINARY
    }

    private static final JsonFactory JSON = new JsonFactory();

    private final String topic;
    private final Mode mode;
    private final CloudEventJson codec = new CloudEventJson();
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long sent;

    public KafkaEventWriter(String bootstrap, String topic, Mode mode) {
        this(bootstrap, topic, mode, new Properties());
    }

    /** With extra producer properties (security settings, or to override the batching defaults). */
    public KafkaEventWriter(String bootstrap, String topic, Mode mode, Properties producerProperties) {
        this.topic = topic;
        this.mode = mode;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putAll(producerProperties);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends one event in this writer's mode. */
    public void write(CloudEvent event) {
        byte[] key = event.partitionKey() == null ? null : event.partitionKey().getBytes(StandardCharsets.UTF_8);
        if (mode == Mode.STRUCTURED) {
            writeRecord(
                    key,
                    codec.write(event),
                    Map.of(CloudEventJson.CONTENT_TYPE_HEADER, CloudEvent.STRUCTURED_CONTENT_TYPE));
        } else {
            writeRecord(key, codec.writeData(event), codec.binaryHeaders(event));
        }
    }

    /**
     * Sends one structured-mode JSON line (no line terminator). In {@link Mode#STRUCTURED} the bytes
     * go out unchanged, keyed by their top-level {@code partitionkey}. In {@link Mode#BINARY} the
     * line is decoded and written as {@link #write(CloudEvent)} does; a line that does not decode is
     * sent unchanged without headers, so it reaches the job's dead-letter path as it is.
     */
    public void writeJsonLine(byte[] line) {
        if (mode == Mode.BINARY) {
            Decoded<CloudEvent> decoded = codec.read(line);
            if (decoded.isOk()) {
                write(decoded.value());
                return;
            }
        }
        writeRecord(partitionKeyOf(line), line, Map.of());
    }

    /** Sends any record, e.g. deliberately broken input for tests. */
    public void writeRecord(byte[] key, byte[] value, Map<String, String> headers) {
        throwIfFailed();
        List<Header> recordHeaders = new ArrayList<>(headers.size());
        headers.forEach(
                (name, text) -> recordHeaders.add(new RecordHeader(name, text.getBytes(StandardCharsets.UTF_8))));
        producer.send(new ProducerRecord<>(topic, null, null, key, value, recordHeaders), (metadata, error) -> {
            if (error == null) {
                acknowledged.incrementAndGet();
            } else {
                failure.compareAndSet(null, error);
            }
        });
        sent++;
    }

    /** Waits until every record sent so far is acknowledged; throws if any failed. */
    public void flush() {
        producer.flush();
        throwIfFailed();
    }

    /** Records sent by this writer (acknowledged or not yet). */
    public long sent() {
        return sent;
    }

    /** Records the broker acknowledged. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Flushes, then closes the producer. */
    @Override
    public void close() {
        try {
            flush();
        } finally {
            producer.close();
        }
    }

    private void throwIfFailed() {
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("producing to " + topic + " failed", error);
        }
    }

    /** The top-level {@code partitionkey} string of a JSON object, or null (also when not JSON). */
    static byte[] partitionKeyOf(byte[] json) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = "partitionkey".equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (wanted) {
                    return value == JsonToken.VALUE_STRING ? parser.getText().getBytes(StandardCharsets.UTF_8) : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
