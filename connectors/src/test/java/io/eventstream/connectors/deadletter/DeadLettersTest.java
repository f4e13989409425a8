package io.eventstream.connectors.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.connectors.kafka.KafkaBrokerExtension;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.events.EventError;
import io.eventstream.features.events.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DeadLettersTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final long T = 1_709_288_130_123L; // 2024-03-01T10:15:30.123Z
    private static final String SHA256_OF_BRACE_A = "da8e2f20d7ae084263b04bc11b13810e536224ba5242896ded1c8200d6b06faf";

    /** SHA-256 through the JDK's MessageDigest directly, independent of DeadLetter.sha256. */
    private static String sha256Hex(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void deadLetterKeepsTheDigestAndSizeAndCarriesAtMost64KiBOfRawBytesForTheRawStoreOnly() {
        byte[] big = new byte[100 * 1024];
        Arrays.fill(big, (byte) 'x');
        big[0] = '{';
        DeadLetter letter = DeadLetter.of(
                RawEvent.of(big, null, null, "kafka:events/3@7"), EventError.of(ReasonCode.OVERSIZED, "too big"), T);
        assertThat(letter.raw).isEqualTo(Arrays.copyOf(big, 65_536));
        assertThat(letter.rawSize).isEqualTo(102_400);
        // The digest covers every byte the source delivered, not only the kept prefix.
        assertThat(letter.rawSha256).isEqualTo(sha256Hex(big)).isNotEqualTo(sha256Hex(Arrays.copyOf(big, 65_536)));
        assertThat(letter.withoutRaw().raw).isNull();
        assertThat(letter.withoutRaw().rawSha256).isEqualTo(letter.rawSha256);
        assertThat(letter.origin).isEqualTo("kafka:events/3@7");
        assertThat(letter.reason).isEqualTo("OVERSIZED");
        assertThat(letter.field).isNull();

        // A line the file source capped: the size is the line's, not the kept prefix's.
        RawEvent capped = new RawEvent(new byte[] {'{', 'a'}, 5_000_000L, null, null, "file:/in/a.jsonl:9");
        DeadLetter fromFile = DeadLetter.of(capped, EventError.missing("data.author_id"), T);
        assertThat(fromFile.rawSize).isEqualTo(5_000_000L);
        assertThat(fromFile.raw).containsExactly('{', 'a');
        // sha256("{a") computed with sha256sum: printf '{a' | sha256sum
        assertThat(fromFile.rawSha256).isEqualTo(SHA256_OF_BRACE_A);
        assertThat(fromFile.field).isEqualTo("data.author_id");
        assertThat(fromFile.reason).isEqualTo("MISSING_FIELD");
        assertThat(fromFile.message).isEqualTo("missing required field 'data.author_id'");
    }

    @Test
    void schemaAndRowsMatch() {
        assertThat(DeadLetters.schema().name()).isEqualTo("dead_letters");
        assertThat(DeadLetters.schema().timeColumn()).isEqualTo("ingest_time");
        assertThat(DeadLetters.schema().columns())
                .extracting(Column::name, Column::type, Column::nullable)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("origin", ColumnType.STRING, false),
                        org.assertj.core.groups.Tuple.tuple("reason", ColumnType.STRING, false),
                        org.assertj.core.groups.Tuple.tuple("field", ColumnType.STRING, true),
                        org.assertj.core.groups.Tuple.tuple("message", ColumnType.STRING, false),
                        org.assertj.core.groups.Tuple.tuple("raw_sha256", ColumnType.STRING, false),
                        org.assertj.core.groups.Tuple.tuple("raw_size", ColumnType.LONG, false),
                        org.assertj.core.groups.Tuple.tuple("ingest_time", ColumnType.TIMESTAMP_MILLIS, false));
        DeadLetter letter = DeadLetter.of(
                RawEvent.of("{a".getBytes(StandardCharsets.UTF_8), null, null, "file:/in/a.jsonl:3"),
                EventError.of(ReasonCode.MALFORMED_JSON, "not valid JSON"),
                T);
        Object[] row = DeadLetters.toRow(letter);
        assertThat(row)
                .containsExactly(
                        "file:/in/a.jsonl:3", "MALFORMED_JSON", null, "not valid JSON", SHA256_OF_BRACE_A, 2L, T);
        assertThat(new String(DeadLetters.toJson(letter), StandardCharsets.UTF_8))
                .isEqualTo("{\"origin\":\"file:/in/a.jsonl:3\","
                        + "\"reason\":\"MALFORMED_JSON\",\"field\":null,\"message\":\"not valid JSON\",\"raw_sha256\":\""
                        + SHA256_OF_BRACE_A + "\",\"raw_size\":2,\"ingest_time\":\"2024-03-01T10:15:30.123Z\"}");
        assertThat(DeadLetters.schema().check(row)).isNull();
    }

    @Test
    void kafkaSinkWritesEachLetterAsJson() throws Exception {
        String topic = KAFKA.newTopic("dead-letters", 2);
        List<DeadLetter> letters = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            letters.add(new DeadLetter(
                    "kafka:events/" + (i % 2) + "@" + i,
                    i % 3 == 0 ? "MISSING_FIELD" : "MALFORMED_JSON",
                    i % 3 == 0 ? "data.note_id" : null,
                    "message " + i,
                    sha256Hex(("raw " + i).getBytes(StandardCharsets.UTF_8)),
                    4 + Integer.toString(i).length(),
                    T + i));
            letters.get(i).raw = ("raw " + i).getBytes(StandardCharsets.UTF_8); // carried, never written
        }
        Configuration config = new Configuration();
        config.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        env.fromData(letters).sinkTo(DeadLetters.kafkaSink(KAFKA.bootstrapServers(), topic));
        env.execute("dead letters to kafka");

        ObjectMapper mapper = new ObjectMapper();
        List<Map<String, Object>> read = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : consumeAll(topic, letters.size())) {
            assertThat(record.key()).isNull();
            JsonNode node = mapper.readTree(record.value());
            assertThat(node.size()).isEqualTo(7);
            read.add(mapper.convertValue(node, Map.class));
        }
        // Letter 0 written out by hand; the rest follow the same pattern.
        assertThat(read)
                .contains(Map.of(
                        "origin",
                        "kafka:events/0@0",
                        "reason",
                        "MISSING_FIELD",
                        "field",
                        "data.note_id",
                        "message",
                        "message 0",
                        "raw_sha256",
                        sha256Hex("raw 0".getBytes(StandardCharsets.UTF_8)),
                        "raw_size",
                        5,
                        "ingest_time",
                        "2024-03-01T10:15:30.123Z"));
        List<Map<String, Object>> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Map<String, Object> m = new java.util.HashMap<>();
            m.put("origin", "kafka:events/" + (i % 2) + "@" + i);
            m.put("reason", i % 3 == 0 ? "MISSING_FIELD" : "MALFORMED_JSON");
            m.put("field", i % 3 == 0 ? "data.note_id" : null);
            m.put("message", "message " + i);
            m.put("raw_sha256", sha256Hex(("raw " + i).getBytes(StandardCharsets.UTF_8)));
            m.put("raw_size", 4 + Integer.toString(i).length());
            m.put("ingest_time", java.time.Instant.ofEpochMilli(T + i).toString());
            expected.add(m);
        }
        assertThat(read).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic, int expected) {
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
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        assertThat(records).hasSize(expected);
        return records;
    }
}
