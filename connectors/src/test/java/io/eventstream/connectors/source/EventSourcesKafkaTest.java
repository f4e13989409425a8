package io.eventstream.connectors.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.kafka.KafkaBrokerExtension;
import io.eventstream.connectors.testing.TestEvents;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The production Kafka source, made bounded, on a real broker and a MiniCluster. */
class EventSourcesKafkaTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private final CloudEventJson json = new CloudEventJson();

    @Test
    void everyRecordBecomesExactlyOneRawEventWithHeadersAndOrigin() throws Exception {
        String topic = KAFKA.newTopic("mixed", 2);
        CloudEvent structured = TestEvents.note(1);
        CloudEvent binary = TestEvents.note(2);
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, '{', 0};
        byte[] invalidUtf8 = {(byte) 0xc3, '('};

        List<RawEvent> expected = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            // Partition 0: structured mode with its content-type header, garbage with an unrelated header, a tombstone.
            long o0 = send(
                    producer,
                    topic,
                    0,
                    utf8("101"),
                    json.write(structured),
                    header("content-type", utf8("application/cloudevents+json")));
            long o1 = send(producer, topic, 0, null, garbage, header("x-trace", utf8("abc")));
            long o2 = send(producer, topic, 0, utf8("k"), null);
            // Partition 1: binary mode (plus an unrelated header), and a ce_ header that is not UTF-8.
            List<Header> binaryHeaders = new ArrayList<>();
            binaryHeaders.add(header("x-trace", utf8("def")));
            json.binaryHeaders(binary).forEach((name, value) -> binaryHeaders.add(header(name, utf8(value))));
            long o3 =
                    send(producer, topic, 1, utf8("102"), json.writeData(binary), binaryHeaders.toArray(new Header[0]));
            long o4 = send(producer, topic, 1, null, utf8("{}"), header("ce_specversion", invalidUtf8));

            expected.add(RawEvent.of(json.write(structured), utf8("101"), null, "kafka:" + topic + "/0@" + o0));
            expected.add(RawEvent.of(garbage, null, null, "kafka:" + topic + "/0@" + o1));
            expected.add(RawEvent.of(new byte[0], utf8("k"), null, "kafka:" + topic + "/0@" + o2));
            expected.add(RawEvent.of(
                    json.writeData(binary),
                    utf8("102"),
                    new String[] {
                        "ce_specversion", "1.0",
                        "ce_id", "evt-2",
                        "ce_source", "https://gitlab.example.com",
                        "ce_type", "com.gitlab.note.created",
                        "ce_time", "2024-03-01T10:00:02Z",
                        "ce_subject", "projects/5/notes/2",
                        "ce_dataschema", "https://eventstream.io/schemas/com.gitlab.note.created.json",
                        "ce_partitionkey", "102",
                        "content-type", "application/json"
                    },
                    "kafka:" + topic + "/1@" + o3));
            expected.add(RawEvent.of(
                    utf8("{}"), null, new String[] {"ce_specversion", "\uFFFD("}, "kafka:" + topic + "/1@" + o4));
        }
        assertThat(expected)
                .extracting(e -> e.origin)
                .containsExactly(
                        "kafka:" + topic + "/0@0",
                        "kafka:" + topic + "/0@1",
                        "kafka:" + topic + "/0@2",
                        "kafka:" + topic + "/1@0",
                        "kafka:" + topic + "/1@1");

        List<RawEvent> read = readBounded(topic);

        assertThat(read).hasSize(5);
        expected.forEach(EventSourcesKafkaTest::sentAt);
        assertThat(sorted(read)).containsExactlyElementsOf(sorted(expected));

        // What the job's decoder makes of them.
        RawEvent s = byOrigin(read, "kafka:" + topic + "/0@0");
        assertThat(s.isBinaryMode()).isFalse();
        assertThat(json.read(s.value).value()).isEqualTo(structured);
        RawEvent b = byOrigin(read, "kafka:" + topic + "/1@0");
        assertThat(CloudEventJson.isBinaryMode(b.headerMap())).isTrue();
        assertThat(json.readBinary(b.headerMap(), b.value).value()).isEqualTo(binary);
        assertThat(json.read(byOrigin(read, "kafka:" + topic + "/0@1").value)
                        .error()
                        .reason())
                .isEqualTo(ReasonCode.MALFORMED_JSON);
    }

    @Test
    void boundedSourceStopsAtTheOffsetsOfTheStart() throws Exception {
        String topic = KAFKA.newTopic("bounded", 3);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 300; i++) {
                send(producer, topic, i % 3, null, json.write(TestEvents.note(i)));
            }
        }
        List<RawEvent> read = readBounded(topic);
        assertThat(read).hasSize(300);
        assertThat(read)
                .extracting(e -> json.read(e.value).value().id())
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 300)
                        .mapToObj(i -> "evt-" + i)
                        .toList());
        // Per partition, offsets 0..99 each exactly once.
        for (int p = 0; p < 3; p++) {
            String prefix = "kafka:" + topic + "/" + p + "@";
            assertThat(read)
                    .filteredOn(e -> e.origin.startsWith(prefix))
                    .extracting(e -> e.origin)
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 100)
                            .mapToObj(o -> prefix + o)
                            .toList());
        }
    }

    private static List<RawEvent> readBounded(String topic) throws Exception {
        Configuration config = new Configuration();
        // Any Kryo fallback in the pipeline fails the job instead of silently slowing it down.
        config.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        List<RawEvent> read = new ArrayList<>();
        env.fromSource(
                        EventSources.kafka(
                                KAFKA.bootstrapServers(), topic, "test-" + topic, OffsetsInitializer.earliest(), true),
                        WatermarkStrategy.noWatermarks(),
                        "kafka")
                .executeAndCollect()
                .forEachRemaining(read::add);
        return read;
    }

    /** The record timestamps (CreateTime) the broker acknowledged, by origin: RawEvent carries them. */
    private static final Map<String, Long> SENT_AT = new java.util.concurrent.ConcurrentHashMap<>();

    private static long send(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            int partition,
            byte[] key,
            byte[] value,
            Header... headers)
            throws Exception {
        RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, partition, key, value, List.of(headers)))
                .get();
        SENT_AT.put("kafka:" + topic + "/" + partition + "@" + metadata.offset(), metadata.timestamp());
        return metadata.offset();
    }

    private static RawEvent sentAt(RawEvent event) {
        event.timestamp = SENT_AT.get(event.origin);
        return event;
    }

    private static Header header(String name, byte[] value) {
        return new RecordHeader(name, value);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<RawEvent> sorted(List<RawEvent> events) {
        return events.stream().sorted(Comparator.comparing(e -> e.origin)).toList();
    }

    private static RawEvent byOrigin(List<RawEvent> events, String origin) {
        return events.stream().filter(e -> e.origin.equals(origin)).findFirst().orElseThrow();
    }
}
