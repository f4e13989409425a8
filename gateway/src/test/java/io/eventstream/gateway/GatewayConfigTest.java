package io.eventstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstream.features.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryKeyWithDefaults() {
        GatewayConfig config = GatewayConfig.parse("""
                kafka: {bootstrap: "k:9092", topic: events}
                sources:
                  - {name: main, instance: "https://gitlab.example.com", tokens: ["env:A", "file:/run/secrets/b"]}
                """);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.tls()).isNull();
        assertThat(config.bootstrap()).isEqualTo("k:9092");
        assertThat(config.topic()).isEqualTo("events");
        assertThat(config.deadLetterTopic()).isEqualTo("gitlab-dead-letters");
        assertThat(config.deliveryTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.maxBodyBytes()).isEqualTo(1 << 20);
        assertThat(config.maxInFlightBytes()).isEqualTo(64L << 20);
        assertThat(config.sources().get("main").tokens())
                .containsExactly(
                        new TokenRef(TokenRef.Kind.ENV, "A"), new TokenRef(TokenRef.Kind.FILE, "/run/secrets/b"));
    }

    @Test
    void everyProblemNamesItsKeyAndNoSecretIsEchoed() {
        assertThatThrownBy(() -> GatewayConfig.parse("""
                listen: {port: 70000, hots: x}
                kafka: {topic: same, dead-letter-topic: same, delivery-timeout: 0s}
                tls: {keystore-password: "env:P"}
                sources:
                  - {name: "bad name", instance: "not a uri", tokens: ["hunter2-the-actual-secret"]}
                  - {name: ok, instance: "https://gitlab.example.com"}
                  - {name: ok, instance: "https://gitlab.example.com", tokens: ["env:T"]}
                """))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    List<String> keys = ((ConfigException) e)
                            .problems().stream()
                                    .map(ConfigException.Problem::key)
                                    .toList();
                    assertThat(keys)
                            .contains(
                                    "listen.port",
                                    "listen.hots",
                                    "kafka.dead-letter-topic",
                                    "kafka.delivery-timeout",
                                    "tls.keystore",
                                    "sources[0].name",
                                    "sources[0].instance",
                                    "sources[0].tokens[0]",
                                    "sources[1].tokens",
                                    "sources[2].name");
                    assertThat(e.getMessage()).doesNotContain("hunter2");
                });
        assertThatThrownBy(() -> GatewayConfig.parse("listen: {port: 1}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sources: a non-empty list");
    }

    @Test
    void tokensComeFromFilesAndTheEnvironmentAndMatchOnlyWhole() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "  first-token \n\nsecond-token\n");
        GatewayConfig config = GatewayConfig.parse("""
                sources:
                  - {name: a, instance: "https://a.example.com", tokens: ["file:%s"]}
                  - {name: b, instance: "https://b.example.com", tokens: ["env:B_TOKEN"]}
                """.formatted(file));
        try (TokenVault vault = new TokenVault(config.sources(), Map.of("B_TOKEN", "bee"), Duration.ofHours(1))) {
            assertThat(vault.matches("a", "first-token")).isTrue();
            assertThat(vault.matches("a", "second-token")).isTrue();
            assertThat(vault.matches("a", "first-toke")).isFalse();
            assertThat(vault.matches("a", "bee")).isFalse();
            assertThat(vault.matches("b", "bee")).isTrue();
            assertThat(vault.matches("b", null)).isFalse();
            assertThat(vault.matches("c", "bee")).isFalse();
        }
        assertThatThrownBy(() -> new TokenVault(config.sources(), Map.of(), Duration.ofHours(1)))
                .hasMessageContaining("environment variable B_TOKEN is not set")
                .hasMessageNotContaining("bee");
    }
}
