package io.eventstream.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.source.RawEvent;
import io.eventstream.connectors.source.RawEventKafkaDeserializer;
import io.eventstream.connectors.testing.TestEvents;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaEventWriterTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final int PARTITIONS = 3;
    private static final Comparator<CloudEvent> BY_ID = Comparator.comparing(CloudEvent::id);
    private final CloudEventJson json = new CloudEventJson();

    @Test
    void structuredModeRoundTripsEveryEventKeyedByPartitionKey() {
        String topic = KAFKA.newTopic("structured", PARTITIONS);
        List<CloudEvent> events =
                IntStream.range(0, 10_000).mapToObj(TestEvents::note).toList();
        long start = System.nanoTime();
        try (KafkaEventWriter writer =
                new KafkaEventWriter(KAFKA.bootstrapServers(), topic, KafkaEventWriter.Mode.STRUCTURED)) {
            events.forEach(writer::write);
            writer.flush();
            assertThat(writer.sent()).isEqualTo(events.size());
            assertThat(writer.acknowledged()).isEqualTo(events.size());
        }
        System.out.printf(
                "KafkaEventWriter: %d structured events in %d ms%n",
                events.size(), (System.nanoTime() - start) / 1_000_000);

        List<ConsumerRecord<byte[], byte[]>> records = consumeAll(topic, events.size());
        List<CloudEvent> decoded = new ArrayList<>();
        Map<String, Set<Integer>> partitionsByKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            RawEvent raw = RawEventKafkaDeserializer.toRawEvent(record);
            assertThat(raw.isBinaryMode()).isFalse();
            assertThat(headers(record)).containsExactly(Map.entry("content-type", "application/cloudevents+json"));
            CloudEvent event = json.read(raw.value).value();
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(event.partitionKey());
            partitionsByKey
                    .computeIfAbsent(event.partitionKey(), k -> new HashSet<>())
                    .add(record.partition());
            decoded.add(event);
        }
        // Sorted comparison: AssertJ's "in any order" is quadratic.
        assertThat(decoded.stream().sorted(BY_ID).toList())
                .containsExactlyElementsOf(events.stream().sorted(BY_ID).toList());
        // Seven authors: each one's events all in one partition, in the order written.
        assertThat(partitionsByKey)
                .hasSize(7)
                .allSatisfy((key, partitions) -> assertThat(partitions).hasSize(1));
        for (String key : partitionsByKey.keySet()) {
            List<String> ids = decoded.stream()
                    .filter(e -> e.partitionKey().equals(key))
                    .map(CloudEvent::id)
                    .toList();
            List<String> written = events.stream()
                    .filter(e -> e.partitionKey().equals(key))
                    .map(CloudEvent::id)
                    .toList();
            assertThat(ids).containsExactlyElementsOf(written);
        }
    }

    @Test
    void binaryModeRoundTripsEveryEventThroughHeaders() {
        String topic = KAFKA.newTopic("binary", PARTITIONS);
        List<CloudEvent> events =
                IntStream.range(0, 500).mapToObj(TestEvents::note).toList();
        try (KafkaEventWriter writer =
                new KafkaEventWriter(KAFKA.bootstrapServers(), topic, KafkaEventWriter.Mode.BINARY)) {
            events.forEach(writer::write);
        }
        List<CloudEvent> decoded = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : consumeAll(topic, events.size())) {
            RawEvent raw = RawEventKafkaDeserializer.toRawEvent(record);
            assertThat(raw.isBinaryMode()).isTrue();
            assertThat(raw.headerMap())
                    .containsEntry("ce_specversion", "1.0")
                    .containsEntry("content-type", "application/json");
            CloudEvent event = json.readBinary(raw.headerMap(), raw.value).value();
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(event.partitionKey());
            decoded.add(event);
        }
        assertThat(decoded).containsExactlyInAnyOrderElementsOf(events);
    }

    @Test
    void jsonLinesGoOutUnchangedInStructuredModeAndBadLinesPassThroughInBinaryMode() {
        byte[] valid = json.write(TestEvents.note(3)); // partitionkey 103
        byte[] noKey = utf8("{\"specversion\":\"1.0\",\"data\":{\"partitionkey\":\"nested\"}}");
        byte[] garbage = utf8("not json {");

        String structured = KAFKA.newTopic("lines-structured", 1);
        try (KafkaEventWriter writer =
                new KafkaEventWriter(KAFKA.bootstrapServers(), structured, KafkaEventWriter.Mode.STRUCTURED)) {
            writer.writeJsonLine(valid);
            writer.writeJsonLine(noKey);
            writer.writeJsonLine(garbage);
        }
        List<ConsumerRecord<byte[], byte[]>> records = consumeAll(structured, 3);
        assertThat(records).extracting(ConsumerRecord::value).containsExactly(valid, noKey, garbage);
        assertThat(records).extracting(ConsumerRecord::key).containsExactly(utf8("103"), null, null);
        assertThat(records).allSatisfy(r -> assertThat(r.headers().toArray()).isEmpty());

        String binary = KAFKA.newTopic("lines-binary", 1);
        try (KafkaEventWriter writer =
                new KafkaEventWriter(KAFKA.bootstrapServers(), binary, KafkaEventWriter.Mode.BINARY)) {
            writer.writeJsonLine(valid);
            writer.writeJsonLine(garbage);
        }
        records = consumeAll(binary, 2);
        assertThat(json.readBinary(
                                RawEventKafkaDeserializer.toRawEvent(records.get(0))
                                        .headerMap(),
                                records.get(0).value())
                        .value())
                .isEqualTo(TestEvents.note(3));
        assertThat(records.get(1).value()).isEqualTo(garbage);
        assertThat(records.get(1).key()).isNull();
        assertThat(records.get(1).headers().toArray()).isEmpty();
    }

    @Test
    void partitionKeyIsReadFromTheTopLevelOnly() {
        assertThat(KafkaEventWriter.partitionKeyOf(
                        utf8("{\"a\":{\"partitionkey\":\"x\"},\"b\":[1,{\"c\":2}],\"partitionkey\":\"42\"}")))
                .isEqualTo(utf8("42"));
        assertThat(KafkaEventWriter.partitionKeyOf(utf8("{\"partitionkey\":42}")))
                .isNull();
        assertThat(KafkaEventWriter.partitionKeyOf(utf8("[\"partitionkey\"]"))).isNull();
        assertThat(KafkaEventWriter.partitionKeyOf(utf8("{\"partitionkey\":"))).isNull();
        assertThat(KafkaEventWriter.partitionKeyOf(new byte[0])).isNull();
    }

    private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    /** Every record of the topic, partition by partition, each in offset order. */
    static List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (records.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // Nothing beyond what was expected.
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        assertThat(records).hasSize(expected);
        return records;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
