package io.eventstream.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstream.features.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientPropertiesTest {
    @TempDir
    Path dir;

    @Test
    void theConfigSectionTakesKnownNonSecretPropertiesAndReferences() {
        Map<String, String> section = new LinkedHashMap<>();
        section.put("security.protocol", "SASL_SSL");
        section.put("sasl.mechanism", "SCRAM-SHA-512");
        section.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"jobs\" password=\"${env:KAFKA_PASSWORD}\";");
        section.put("ssl.truststore.password", "${file:/etc/kafka/secrets.properties:truststore.password}");
        KafkaClientProperties properties = KafkaClientProperties.fromConfig(section);
        assertThat(properties.names())
                .containsExactly("security.protocol", "sasl.mechanism", "sasl.jaas.config", "ssl.truststore.password");
        Properties out = properties.toProperties();
        assertThat(out.getProperty("config.providers")).isEqualTo("env,file,dir");
        assertThat(out.getProperty("config.providers.env.class"))
                .isEqualTo("org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        assertThat(properties.toString())
                .isEqualTo(
                        "KafkaClientProperties[security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.password]");
    }

    @Test
    void theConfigSectionRefusesUnknownReservedAndLiteralSecretPropertiesNamingEach() {
        Map<String, String> section = new LinkedHashMap<>();
        section.put("security.protocl", "SASL_SSL");
        section.put("bootstrap.servers", "elsewhere:9092");
        section.put("sasl.jaas.config", "ScramLoginModule required username=\"u\" password=\"hunter2-secret\";");
        section.put("ssl.key.password", "hunter2-secret");
        ConfigException error = (ConfigException) catchThrowable(() -> KafkaClientProperties.fromConfig(section));
        assertThat(error.problems())
                .extracting(ConfigException.Problem::key)
                .containsExactly(
                        "kafka.security.protocl",
                        "kafka.bootstrap.servers",
                        "kafka.sasl.jaas.config",
                        "kafka.ssl.key.password");
        assertThat(error.getMessage())
                .contains("kafka.security.protocl: is not a Kafka client property")
                .contains("kafka.sasl.jaas.config: is a secret and must not be written in the job config")
                .doesNotContain("hunter2-secret");
    }

    @Test
    void thePropertiesFileHoldsSecretsAndWinsOverTheConfig() throws IOException {
        Path file = Files.writeString(dir.resolve("kafka.properties"), """
                # secrets live here, not in the committed YAML
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                  username="jobs" password="literal-secret";
                security.protocol = SASL_SSL
                """);
        KafkaClientProperties merged =
                KafkaClientProperties.of(Map.of("security.protocol", "SSL", "client.id", "x"), file);
        Properties out = merged.toProperties();
        assertThat(out.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(out.getProperty("client.id")).isEqualTo("x");
        assertThat(out.getProperty("sasl.jaas.config")).endsWith("username=\"jobs\" password=\"literal-secret\";");
        assertThat(out.getProperty("config.providers")).isNull(); // no reference, no providers

        Path bad = Files.writeString(dir.resolve("bad.properties"), "group.id=mine\nnot.a.kafka.property=1\n");
        assertThatThrownBy(() -> KafkaClientProperties.fromFile(bad))
                .isInstanceOf(ConfigException.class)
                .hasMessage(bad + ": group.id: is set by the job itself (--kafka, --group-id, serializers); remove it\n"
                        + bad + ": not.a.kafka.property: is not a Kafka client property (consumer, producer or admin)");
        assertThatThrownBy(() -> KafkaClientProperties.fromFile(dir.resolve("missing.properties")))
                .hasMessage(dir.resolve("missing.properties") + ": no such file");
    }

    @Test
    void referencesAreResolvedByTheKafkaClientWhereItRuns() throws IOException {
        // Kafka's own config providers resolve the references when a client is created: an environment
        // variable every JVM here has (HOME), a key of a properties file, the content of a file in a directory.
        Path secrets = Files.writeString(dir.resolve("secrets.properties"), "client=from-file\n");
        Files.writeString(dir.resolve("rack"), "from-dir");
        KafkaClientProperties properties = KafkaClientProperties.fromConfig(Map.of(
                "client.id", "${file:" + secrets + ":client}",
                "client.rack", "${dir:" + dir + ":rack}",
                "sasl.kerberos.service.name", "${env:HOME}"));
        Properties props = properties.toProperties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        ConsumerConfig resolved = new ConsumerConfig(ConsumerConfig.appendDeserializerToConfig(
                toMap(props), new ByteArrayDeserializer(), new ByteArrayDeserializer()));
        assertThat(resolved.getString("client.id")).isEqualTo("from-file");
        assertThat(resolved.getString("client.rack")).isEqualTo("from-dir");
        assertThat(resolved.getString("sasl.kerberos.service.name")).isEqualTo(System.getenv("HOME"));
    }

    private static Map<String, Object> toMap(Properties props) {
        Map<String, Object> map = new LinkedHashMap<>();
        props.forEach((k, v) -> map.put((String) k, v));
        return map;
    }

    private static Throwable catchThrowable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return org.assertj.core.api.Assertions.catchThrowable(call);
    }
}
