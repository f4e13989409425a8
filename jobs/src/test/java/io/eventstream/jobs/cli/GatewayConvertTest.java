package io.eventstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.connectors.kafka.KafkaBrokerExtension;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.gitlab.GitLabFixtures;
import io.eventstream.gateway.Gateway;
import io.eventstream.gateway.GatewayConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway and {@code eventstream convert} agree byte for byte: real GitLab payloads posted to a running
 * gateway give on Kafka exactly the lines {@code convert --header H --uuid KEY --received-at T} prints for the
 * same files (T read back from the produced {@code recordedtime}). The gateway module's own test covers all
 * fixtures against the adapter; this one ties the gateway to the command itself.
 */
class GatewayConvertTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final String INSTANCE = "https://gitlab.example.org";
    private static final String TOKEN = "convert-test-token";

    @Test
    void theGatewayProducesWhatConvertPrints() throws Exception {
        Path fixtures = GitLabFixtures.directory().orElse(null);
        Assumptions.assumeTrue(fixtures != null, "no shared/fixtures/gitlab-webhooks above the working directory");
        // A note on a merge request, a merge request update (draft toggled), a system hook.
        Map<String, String> files = Map.of(
                "go-gitlab/webhooks/note_merge_request.json", "Note Hook",
                "go-scm/pull_request_review_ready.json", "Merge Request Hook",
                "go-gitlab/systemhooks/user_create.json", "System Hook");
        String topic = KAFKA.newTopic("convert", 2);
        KAFKA.broker().createTopic(topic + "-dead", 1);
        GatewayConfig config = GatewayConfig.parse("""
                listen: {host: 127.0.0.1, port: 0}
                kafka: {topic: %s, dead-letter-topic: %s-dead}
                sources:
                  - {name: main, instance: "%s", tokens: ["env:HOOK_TOKEN"]}
                """.formatted(topic, topic, INSTANCE));
        Map<String, String> keys = new java.util.HashMap<>();
        try (Gateway gateway =
                Gateway.start(config, KAFKA.bootstrapServers(), new Properties(), Map.of("HOOK_TOKEN", TOKEN))) {
            HttpClient client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (var file : files.entrySet()) {
                String key = UUID.randomUUID().toString();
                keys.put(file.getKey(), key);
                HttpResponse<String> answer = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/hooks/main"))
                                .header("X-Gitlab-Token", TOKEN)
                                .header("X-Gitlab-Event", file.getValue())
                                .header("Idempotency-Key", key)
                                .POST(HttpRequest.BodyPublishers.ofFile(fixtures.resolve(file.getKey())))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(file.getKey()).isEqualTo(200);
            }
        }
        List<ConsumerRecord<byte[], byte[]>> records = readAll(topic);
        ObjectMapper json = new ObjectMapper();
        int compared = 0;
        for (var file : files.entrySet()) {
            String key = keys.get(file.getKey());
            List<String> produced = new ArrayList<>();
            String recordedTime = null;
            for (ConsumerRecord<byte[], byte[]> record : records.stream()
                    .sorted(Comparator.comparingLong(ConsumerRecord::offset))
                    .toList()) {
                var event = json.readTree(record.value());
                if (event.get("id").asText().replaceFirst("#\\d+$", "").equals(key)) {
                    produced.add(new String(record.value(), StandardCharsets.UTF_8));
                    recordedTime = event.get("recordedtime").asText();
                }
            }
            assertThat(produced).as(file.getKey()).isNotEmpty();

            ConvertCommand convert = new ConvertCommand();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            convert.out = new PrintStream(out, true, StandardCharsets.UTF_8);
            convert.files = List.of(fixtures.resolve(file.getKey()).toString());
            convert.header = file.getValue();
            convert.uuid = key;
            convert.source = INSTANCE;
            convert.receivedAt = CloudEventJson.parseTime(recordedTime);
            assertThat(convert.call()).isZero();
            List<String> printed = out.toString(StandardCharsets.UTF_8).lines().toList();
            assertThat(produced).as(file.getKey()).isEqualTo(printed);
            compared += printed.size();
        }
        assertThat(compared).isEqualTo(3);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
