package io.eventstream.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.deadletter.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SASL_SSL listener of {@link LocalKafkaBroker}: SCRAM users get in, wrong passwords and plaintext clients do not. */
class SecuredLocalKafkaBrokerTest {

    @RegisterExtension
    static final SecuredKafkaBrokerExtension KAFKA = new SecuredKafkaBrokerExtension();

    @Test
    void aScramUserProducesAndConsumesOverTls() throws Exception {
        String topic = KAFKA.newTopic("secured", 1);
        Properties producerProps = KAFKA.clientProperties();
        producerProps.put("bootstrap.servers", KAFKA.saslSslBootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "hello".getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
        Properties consumerProps = KAFKA.clientProperties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.saslSslBootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> values = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (values.isEmpty() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(record.value(), StandardCharsets.UTF_8));
                }
            }
            assertThat(values).containsExactly("hello");
        }
    }

    @Test
    void thePreflightAcceptsTheUserAndRefusesAWrongPasswordAtOnceWithoutEchoingIt() {
        String topic = KAFKA.newTopic("preflight", 1);
        KafkaClientProperties right = KafkaClientProperties.fromFile(write(KAFKA.clientProperties()));
        assertThat(KafkaPreflight.problem(KAFKA.saslSslBootstrapServers(), topic, right, Duration.ofSeconds(20)))
                .isNull();
        assertThat(KafkaPreflight.problem(
                        KAFKA.saslSslBootstrapServers(), "no-such-topic", right, Duration.ofSeconds(20)))
                .isEqualTo("Kafka at " + KAFKA.saslSslBootstrapServers() + " has no topic no-such-topic");

        Properties wrong =
                KAFKA.broker().saslSslClientProperties(SecuredKafkaBrokerExtension.USER, "wrong-password-42");
        long start = System.nanoTime();
        String problem = KafkaPreflight.problem(
                KAFKA.saslSslBootstrapServers(),
                topic,
                KafkaClientProperties.fromFile(write(wrong)),
                Duration.ofSeconds(20));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(problem)
                .startsWith("Kafka at " + KAFKA.saslSslBootstrapServers() + " refused the credentials "
                        + "(SaslAuthenticationException: Authentication failed during authentication due to invalid credentials "
                        + "with SASL mechanism SCRAM-SHA-512)")
                .doesNotContain("wrong-password-42");
        assertThat(millis).as("a refusal is an answer, not a timeout").isLessThan(20_000);
    }

    @Test
    void theDeadLetterSinkWritesThroughTheSecuredListener() throws Exception {
        String topic = KAFKA.newTopic("dead-letters", 1);
        Properties props = KAFKA.clientProperties();
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.createLocalEnvironment(1);
        DeadLetter letter = new DeadLetter("file:/in:1", "MALFORMED_JSON", null, "not valid JSON", "ab", 2, 1_000L);
        env.fromData(List.of(letter), org.apache.flink.api.common.typeinfo.TypeInformation.of(DeadLetter.class))
                .sinkTo(DeadLetters.kafkaSink(KAFKA.saslSslBootstrapServers(), topic, props));
        env.execute("dead letters over SASL_SSL");
        Properties consumerProps = KAFKA.clientProperties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.saslSslBootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> values = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (values.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
            }
            assertThat(values).containsExactly(new String(DeadLetters.toJson(letter), StandardCharsets.UTF_8));
        }
    }

    private static java.nio.file.Path write(Properties props) {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("kafka-client-", ".properties");
            file.toFile().deleteOnExit();
            try (var out = java.nio.file.Files.newBufferedWriter(file)) {
                props.store(out, null);
            }
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
