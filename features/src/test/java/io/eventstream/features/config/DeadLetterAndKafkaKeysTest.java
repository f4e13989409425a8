package io.eventstream.features.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dead_letters and kafka sections every job config shares. */
class DeadLetterAndKafkaKeysTest {

    @Test
    void rawDeadLettersAreOffByDefaultAndKeptAtLeastADay() {
        assertThat(SpamJobConfig.defaults().deadLetterRawRoot()).isNull();
        assertThat(SpamJobConfig.defaults().deadLetterRawRetentionMillis()).isEqualTo(7 * 86_400_000L);
        ReviewerJobConfig reviewers =
                ReviewerJobConfig.parse("dead_letters: {raw_root: /restricted/raw, raw_retention: 2d}\n");
        assertThat(reviewers.deadLetterRawRoot()).isEqualTo("/restricted/raw");
        assertThat(reviewers.deadLetterRawRetentionMillis()).isEqualTo(2 * 86_400_000L);
        assertThatThrownBy(() -> SpamJobConfig.parse("dead_letters: {raw_retention: 12h}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("dead_letters.raw_retention: must be at least 1d, got 12h");
        assertThatThrownBy(() -> SpamJobConfig.parse("dead_letters: {raw_base64: true}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("dead_letters.raw_base64: ");
    }

    @Test
    void theKafkaSectionIsAMapOfSingleValuesKeptInFileOrder() {
        SpamJobConfig config = SpamJobConfig.parse("""
                kafka:
                  security.protocol: SASL_SSL
                  sasl.mechanism: SCRAM-SHA-512
                  request.timeout.ms: 30000
                """);
        assertThat(config.kafkaProperties())
                .containsExactly(
                        Map.entry("security.protocol", "SASL_SSL"),
                        Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                        Map.entry("request.timeout.ms", "30000"));
        assertThat(ReviewerJobConfig.defaults().kafkaProperties()).isEmpty();
        assertThatThrownBy(() -> SpamJobConfig.parse("kafka:\n  ssl.cipher.suites: [a, b]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("kafka.ssl.cipher.suites: expected a single value");
        assertThatThrownBy(() -> ReviewerJobConfig.parse("kafka: SASL_SSL\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("kafka: expected a map of Kafka client properties, e.g. security.protocol: SASL_SSL");
    }
}
