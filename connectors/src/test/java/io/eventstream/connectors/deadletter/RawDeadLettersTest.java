package io.eventstream.connectors.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.events.EventError;
import io.eventstream.features.events.ReasonCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawDeadLettersTest {
    @TempDir
    Path root;

    @Test
    void rawRowsCarryTheBytesAndJoinTheDeadLetterByDigest() {
        byte[] value = "{\"email\":\"a@b.example\"}".getBytes(StandardCharsets.UTF_8);
        DeadLetter letter = DeadLetter.of(
                RawEvent.of(value, null, null, "kafka:events/1@9"),
                EventError.of(ReasonCode.MISSING_FIELD, "missing"),
                1_000L);
        Object[] row = RawDeadLetters.toRow(letter);
        assertThat(row)
                .containsExactly(
                        "kafka:events/1@9",
                        "MISSING_FIELD",
                        letter.rawSha256,
                        (long) value.length,
                        "eyJlbWFpbCI6ImFAYi5leGFtcGxlIn0=",
                        1_000L); // base64 from `base64` of the same bytes
        assertThat(RawDeadLetters.schema("dead_letters").check(row)).isNull();
        assertThat(RawDeadLetters.schema("reviewer_dead_letters").name()).isEqualTo("reviewer_dead_letters_raw");
    }

    @Test
    void purgeDeletesWholeHoursOnceTheirStartIsOlderThanTheRetention() throws IOException {
        Path dataset = root.resolve("dead_letters_raw");
        for (String partition : List.of(
                "v1/dt=2024-03-01/hour=09",
                "v1/dt=2024-03-01/hour=10",
                "v1/dt=2024-03-01/hour=11",
                "v1/dt=2024-02-29/hour=23",
                "v2/dt=2024-03-01/hour=09")) {
            Files.createDirectories(dataset.resolve(partition));
            Files.writeString(dataset.resolve(partition).resolve("part-0.parquet"), "x");
        }
        Files.writeString(dataset.resolve("v1/_feature_set.json"), "{}");
        // Now 2024-03-08T10:30Z, retention 7d: the cutoff is 2024-03-01T10:30Z; hours starting at or before it go.
        long now = Instant.parse("2024-03-08T10:30:00Z").toEpochMilli();
        List<org.apache.flink.core.fs.Path> deleted = RawDeadLetters.purge(
                new org.apache.flink.core.fs.Path(root.toUri()), "dead_letters_raw", Duration.ofDays(7), now);
        assertThat(deleted).hasSize(4);
        assertThat(remaining(dataset))
                .containsExactly("v1/_feature_set.json", "v1/dt=2024-03-01/hour=11/part-0.parquet");
        // Idempotent, and nothing to do for a dataset that does not exist.
        assertThat(RawDeadLetters.purge(
                        new org.apache.flink.core.fs.Path(root.toUri()), "dead_letters_raw", Duration.ofDays(7), now))
                .isEmpty();
        assertThat(RawDeadLetters.purge(
                        new org.apache.flink.core.fs.Path(root.toUri()), "nothing_raw", Duration.ofDays(7), now))
                .isEmpty();
    }

    private static List<String> remaining(Path dataset) throws IOException {
        try (Stream<Path> files = Files.walk(dataset)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> dataset.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }
}
