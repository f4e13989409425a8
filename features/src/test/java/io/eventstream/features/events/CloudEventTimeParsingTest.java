package io.eventstream.features.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The hand-written parser of the canonical UTC form gives exactly what the general RFC 3339 parser
 * gives, and leaves every other text (valid or not) to it; {@link CloudEventJson#parseTime} accepts
 * exactly the RFC 3339 date-times the published schemas accept (no five-digit or signed years, whose
 * epoch millis can overflow; no time without seconds).
 */
class CloudEventTimeParsingTest {

    private static final String MUTATIONS = "0123456789-:TZtz.+ x";

    /**
     * The reference: what the published schemas' {@code date-time} format accepts (the RFC 3339
     * check of the library {@code EventValidator} uses, ethlo ITU), read by Java's general ISO parser
     * once {@code t}, {@code z} and a space separator are written as {@code T} and {@code Z}. A leap
     * second passes the format but no {@code Instant} holds it: an error.
     */
    private static String reference(String text) {
        if (!com.ethlo.time.ITU.isValid(text)) {
            return "error";
        }
        String iso = text.substring(0, 10) + "T" + text.substring(11).toUpperCase(java.util.Locale.ROOT);
        try {
            return OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant()
                    .toString();
        } catch (DateTimeParseException e) {
            return "error";
        }
    }

    private static String actual(String text) {
        try {
            return CloudEventJson.parseTime(text).toString();
        } catch (DateTimeParseException e) {
            return "error";
        }
    }

    @Test
    void canonicalFormsTakeTheFastPathAndGiveTheSameInstant() {
        assertThat(CloudEventJson.parseCanonicalUtc("2024-03-01T10:15:30Z"))
                .isEqualTo(Instant.parse("2024-03-01T10:15:30Z"));
        assertThat(CloudEventJson.parseCanonicalUtc("2024-03-01T10:15:30.123Z"))
                .isEqualTo(Instant.parse("2024-03-01T10:15:30.123Z"));
        assertThat(CloudEventJson.parseCanonicalUtc("2024-02-29T23:59:59.987654321Z"))
                .isEqualTo(Instant.ofEpochSecond(1_709_251_199L, 987_654_321));
        assertThat(CloudEventJson.parseCanonicalUtc("1969-12-31T23:59:59.5Z")).isEqualTo(Instant.ofEpochMilli(-500));
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 5_000; i++) {
            String text = canonical(random);
            assertThat(CloudEventJson.parseCanonicalUtc(text)).as(text).isNotNull();
            assertThat(actual(text)).as(text).isEqualTo(reference(text));
        }
    }

    @Test
    void everythingElseBehavesAsTheGeneralParser() {
        List<String> texts = new ArrayList<>(List.of(
                "2023-02-29T00:00:00Z",
                "2024-02-30T00:00:00Z",
                "2024-04-31T00:00:00Z",
                "2024-13-01T00:00:00Z",
                "2024-00-10T00:00:00Z",
                "2024-01-00T00:00:00Z",
                "2024-01-01T24:00:00Z",
                "2024-01-01T23:60:00Z",
                "2024-01-01T23:59:60Z",
                "2024-01-01T10:15:30.Z",
                "2024-01-01T10:15:30.1234567890Z",
                "2024-01-01t10:15:30z",
                "2024-01-01T10:15:30+02:00",
                "2024-01-01T10:15:30.5-07:30",
                "2024-01-01T10:15Z",
                "+12024-01-01T10:15:30Z",
                "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999Z",
                "2000-02-29T12:00:00Z",
                "1900-02-29T12:00:00Z",
                "2024-01-01 10:15:30Z",
                "yesterday",
                "",
                "2024-01-01T10:15:30",
                "２０２４-01-01T10:15:30Z"));
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 5_000; i++) {
            texts.add(mutate(canonical(random), random));
        }
        for (String text : texts) {
            assertThat(actual(text)).as(text).isEqualTo(reference(text));
        }
    }

    private static String canonical(SplittableRandom random) {
        Instant instant = Instant.ofEpochSecond(
                random.nextLong(-62_167_219_200L, 253_402_300_799L), random.nextInt(1_000_000_000));
        String text = DateTimeFormatter.ISO_INSTANT.format(instant.minusNanos(instant.getNano()));
        int digits = random.nextInt(10);
        if (digits == 0) {
            return text;
        }
        String nanos = String.format("%09d", instant.getNano()).substring(0, digits);
        return text.substring(0, text.length() - 1) + "." + nanos + "Z";
    }

    private static String mutate(String text, SplittableRandom random) {
        StringBuilder out = new StringBuilder(text);
        int edits = 1 + random.nextInt(2);
        for (int e = 0; e < edits && out.length() > 0; e++) {
            int at = random.nextInt(out.length());
            char c = MUTATIONS.charAt(random.nextInt(MUTATIONS.length()));
            switch (random.nextInt(3)) {
                case 0 -> out.setCharAt(at, c);
                case 1 -> out.insert(at, c);
                default -> out.deleteCharAt(at);
            }
        }
        return out.toString();
    }
}
