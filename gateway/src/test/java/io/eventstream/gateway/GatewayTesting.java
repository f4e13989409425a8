package io.eventstream.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Shared pieces of the gateway tests: configs, an HTTP client that posts like GitLab, reading a topic back. */
final class GatewayTesting {
    static final String INSTANCE = "https://gitlab.example.com";
    static final String SOURCE = "gitlab-main";
    static final String TOKEN = "s3cret-main-token";

    private GatewayTesting() {}

    /** A config for one source whose token is in {@code tokenFile}, on a free port of 127.0.0.1. */
    static String config(Path tokenFile, String topic, String extra) {
        return """
                listen:
                  host: 127.0.0.1
                  port: 0
                kafka:
                  topic: %s
                  dead-letter-topic: %s-dead
                  delivery-timeout: 5s
                tokens:
                  reload-interval: 100ms
                shutdown:
                  drain-timeout: 10s
                sources:
                  - name: %s
                    instance: %s
                    tokens: ["file:%s"]
                %s
                """.formatted(topic, topic, SOURCE, INSTANCE, tokenFile, extra);
    }

    static Path tokenFile(Path dir, String... tokens) {
        try {
            Path file = dir.resolve("token-" + UUID.randomUUID());
            Files.writeString(file, String.join("\n", tokens) + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Gateway start(String yaml, String bootstrap) {
        return Gateway.start(GatewayConfig.parse(yaml), bootstrap, new Properties(), Map.of());
    }

    static HttpClient client() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    static URI hookUri(Gateway gateway, String source) {
        return URI.create(gateway.scheme() + "://127.0.0.1:" + gateway.port() + "/hooks/" + source);
    }

    /** A delivery as GitLab makes it: JSON body, event header, token, idempotency key (each may be null). */
    static HttpRequest delivery(Gateway gateway, byte[] body, String eventHeader, String token, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(hookUri(gateway, SOURCE))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (eventHeader != null) {
            request.header("X-Gitlab-Event", eventHeader);
        }
        if (token != null) {
            request.header("X-Gitlab-Token", token);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.build();
    }

    static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> get(HttpClient client, Gateway gateway, String path) {
        return send(
                client,
                HttpRequest.newBuilder(URI.create(gateway.scheme() + "://127.0.0.1:" + gateway.port() + path))
                        .GET()
                        .build());
    }

    /** Every record of {@code topic} now (reads until the end offsets captured at the start). */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end =
                    consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
