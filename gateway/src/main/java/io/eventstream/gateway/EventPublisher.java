package io.eventstream.gateway;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces canonical events (structured-mode CloudEvents JSON, keyed by {@code partitionkey}) and dead
 * letters to Kafka, and says when Kafka acknowledged them.
 *
 * <p>Durability settings are fixed, not configurable: {@code acks=all} and the idempotent producer (a
 * producer retry never writes a record twice). Timeouts are bounded so a down broker turns into a quick
 * 503 instead of a request hanging past GitLab's 10 s: {@code delivery.timeout.ms} is the configured
 * delivery timeout, {@code max.block.ms} one second (metadata of an unreachable cluster).
 */
final class EventPublisher implements AutoCloseable {
    private static final int MAX_BLOCK_MS = 1_000;

    private final String topic;
    private final String deadLetterTopic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final CloudEventJson codec = new CloudEventJson();
    private final LongConsumer produceLatencyNanos;

    /**
     * @param securityProperties client properties from {@code --kafka-properties} (security settings);
     *                           they cannot weaken the durability settings, which are applied after them
     */
    EventPublisher(
            String bootstrap,
            String topic,
            String deadLetterTopic,
            Duration deliveryTimeout,
            Properties securityProperties,
            LongConsumer produceLatencyNanos) {
        this.topic = topic;
        this.deadLetterTopic = deadLetterTopic;
        this.produceLatencyNanos = produceLatencyNanos;
        Properties props = new Properties();
        props.putAll(securityProperties);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        // A request waits for Kafka anyway: a short linger batches concurrent requests without adding latency
        // that matters next to the broker round trip.
        props.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        long delivery = Math.max(deliveryTimeout.toMillis(), 1_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(delivery));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(delivery - 2 - 1));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(MAX_BLOCK_MS));
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "eventstream-gateway");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends the events of one delivery; completes when Kafka acknowledged all of them, or with the first error. */
    CompletableFuture<Void> publish(List<CloudEvent> events) {
        long started = System.nanoTime();
        CompletableFuture<?>[] sends = new CompletableFuture<?>[events.size()];
        for (int i = 0; i < events.size(); i++) {
            CloudEvent event = events.get(i);
            byte[] key =
                    event.partitionKey() == null ? null : event.partitionKey().getBytes(StandardCharsets.UTF_8);
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, key, codec.write(event));
            record.headers()
                    .add(new RecordHeader(
                            CloudEventJson.CONTENT_TYPE_HEADER,
                            CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8)));
            sends[i] = send(record);
        }
        return CompletableFuture.allOf(sends).whenComplete((ok, error) -> {
            if (error == null) {
                produceLatencyNanos.accept(System.nanoTime() - started);
            }
        });
    }

    /** Sends one dead letter (JSON, no key). */
    CompletableFuture<Void> publishDeadLetter(byte[] json) {
        return send(new ProducerRecord<>(deadLetterTopic, null, null, json));
    }

    private CompletableFuture<Void> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    acknowledged.complete(null);
                } else {
                    acknowledged.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            // max.block.ms passed (no metadata) or the producer is closed.
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }

    /** Waits for every record sent so far, then closes the producer. */
    @Override
    public void close() {
        producer.flush();
        producer.close(Duration.ofSeconds(10));
    }
}
