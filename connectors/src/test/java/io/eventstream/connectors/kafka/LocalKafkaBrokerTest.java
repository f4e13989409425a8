package io.eventstream.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaBrokerTest {

    @Test
    void producesAndConsumesOnLoopbackAndCleansUp() throws Exception {
        LocalKafkaBroker broker = new LocalKafkaBroker();
        Path logDir;
        String bootstrap;
        try {
            long start = System.nanoTime();
            broker.start();
            System.out.printf("LocalKafkaBroker started in %d ms%n", (System.nanoTime() - start) / 1_000_000);
            bootstrap = broker.bootstrapServers();
            assertThat(bootstrap).matches("127\\.0\\.0\\.1:\\d+");
            logDir = broker.logDir();
            assertThat(logDir.resolve("meta.properties")).exists();

            broker.createTopic("greetings", 3);
            produce(bootstrap, "greetings", List.of("a", "b", "c"));
            assertThat(consumeAll(bootstrap, "greetings", 3, 3)).containsExactlyInAnyOrder("a", "b", "c");

            // Topics are created explicitly only: a typo must fail, not create a topic.
            try (KafkaProducer<String, String> producer =
                    producer(bootstrap, Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1500))) {
                assertThatThrownBy(() ->
                                producer.send(new ProducerRecord<>("typo", "v")).get())
                        .hasStackTraceContaining("typo");
            }
        } finally {
            broker.close();
        }
        assertThat(logDir).doesNotExist();
        int port = Integer.parseInt(bootstrap.substring(bootstrap.indexOf(':') + 1));
        assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    }
                })
                .isInstanceOf(IOException.class);
    }

    @Test
    void aBrokerOnTheSameDirectoryKeepsTopicsAndRecords(@TempDir Path dir) throws Exception {
        try (LocalKafkaBroker first = new LocalKafkaBroker(dir).start()) {
            first.createTopic("kept", 2);
            produce(first.bootstrapServers(), "kept", List.of("x", "y"));
        }
        assertThat(dir.resolve("kafka-logs")).isDirectory();
        try (LocalKafkaBroker second = new LocalKafkaBroker(dir).start()) {
            assertThat(consumeAll(second.bootstrapServers(), "kept", 2, 2)).containsExactlyInAnyOrder("x", "y");
            // Same name and partitions: a no-op; other partitions: refused.
            second.createTopic("kept", 2);
            assertThatThrownBy(() -> second.createTopic("kept", 5))
                    .hasMessageContaining("exists with 2 partitions, not 5");
        }
        assertThat(Files.list(dir.resolve("kafka-logs")).count()).isPositive();
    }

    static void produce(String bootstrap, String topic, List<String> values) throws Exception {
        try (KafkaProducer<String, String> producer = producer(bootstrap, Map.of())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, value)).get();
            }
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap, Map<String, Object> extra) {
        Map<String, Object> config =
                new java.util.HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        config.putAll(extra);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    static List<String> consumeAll(String bootstrap, String topic, int partitions, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> assigned = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                assigned.add(new TopicPartition(topic, p));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            long deadline = System.currentTimeMillis() + 20_000;
            while (values.size() < expected && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
