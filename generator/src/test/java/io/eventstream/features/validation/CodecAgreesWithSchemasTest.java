package io.eventstream.features.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.Decoded;
import io.eventstream.features.events.EventError;
import io.eventstream.features.events.EventMutator;
import io.eventstream.features.events.ReasonCode;
import io.eventstream.generator.GeneratorConfig;
import io.eventstream.generator.SyntheticEventGenerator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Differential test: the jobs' decoder ({@link CloudEventJson#read}) accepts exactly the records the
 * published JSON Schemas accept ({@link EventValidator}), and refuses the others with the same
 * reason code, over thousands of seeded mutations of generated events ({@link EventMutator}) and a
 * few hand-picked ones from the issue.
 */
class CodecAgreesWithSchemasTest {
    private final CloudEventJson json = new CloudEventJson();
    private final EventValidator validator = new EventValidator();

    @Test
    void mutatedRecordsAreAcceptedOrRefusedAsTheSchemasSay() {
        List<byte[]> records = new ArrayList<>();
        for (CloudEvent event : SyntheticEventGenerator.generateAll(GeneratorConfig.of(7, 60, 4, 3))) {
            records.add(json.write(event));
        }
        SplittableRandom random = new SplittableRandom(20_251_206L);
        Map<ReasonCode, Integer> refused = new EnumMap<>(ReasonCode.class);
        int accepted = 0;
        int mutants = 6_000;
        for (int i = 0; i < mutants; i++) {
            byte[] record = EventMutator.mutate(records.get(random.nextInt(records.size())), random);
            Decoded<CloudEvent> decoded = json.read(record);
            List<EventError> errors = validator.validate(record);
            String what =
                    new String(record, StandardCharsets.UTF_8) + "\n decoder: " + decoded + "\n validator: " + errors;
            assertThat(decoded.isOk()).as(what).isEqualTo(errors.isEmpty());
            if (decoded.isOk()) {
                accepted++;
            } else {
                assertThat(errors)
                        .as(what)
                        .extracting(EventError::reason)
                        .contains(decoded.error().reason());
                if (errors.size() == 1) {
                    assertThat(errors.get(0).reason())
                            .as(what)
                            .isEqualTo(decoded.error().reason());
                }
                refused.merge(decoded.error().reason(), 1, Integer::sum);
            }
        }
        assertThat(accepted).as("accepted mutants").isBetween(mutants / 10, mutants * 9 / 10);
        assertThat(refused)
                .as("reasons of the refused mutants")
                .containsKeys(
                        ReasonCode.MALFORMED_JSON,
                        ReasonCode.MISSING_FIELD,
                        ReasonCode.INVALID_FIELD,
                        ReasonCode.BAD_TIMESTAMP,
                        ReasonCode.UNKNOWN_TYPE,
                        ReasonCode.BAD_SPEC_VERSION);
    }

    @Test
    void theIssuesExamplesAreRefusedByBothWithTheSameReason() {
        String note = "{\"specversion\":\"1.0\",\"id\":\"n1\",\"source\":\"https://gitlab.example.com\","
                + "\"type\":\"com.gitlab.note.created\",\"time\":\"2024-03-01T10:15:30Z\",\"data\":{\"project_id\":1,"
                + "\"note_id\":2,\"author_id\":139,\"noteable_type\":\"Issue\",\"body\":\"hello\",\"system\":false,\"internal\":false}}";
        assertThat(json.read(note).isOk()).isTrue();
        assertThat(validator.validate(note.getBytes(StandardCharsets.UTF_8))).isEmpty();
        Map<String, ReasonCode> refused = Map.of(
                note.replace("\"author_id\":139", "\"author_id\":139.7"),
                ReasonCode.INVALID_FIELD,
                note.replace("\"body\":\"hello\"", "\"body\":12"),
                ReasonCode.INVALID_FIELD,
                note.replace("\"author_id\":139", "\"author_id\":\"139\""),
                ReasonCode.INVALID_FIELD,
                note.replace("\"system\":false", "\"system\":0"),
                ReasonCode.INVALID_FIELD,
                note.replace("2024-03-01T10:15:30Z", "+999999999-12-31T23:59:59Z"),
                ReasonCode.BAD_TIMESTAMP,
                note + note,
                ReasonCode.MALFORMED_JSON,
                note + " trailing",
                ReasonCode.MALFORMED_JSON);
        refused.forEach((text, reason) -> {
            assertThat(json.read(text).error())
                    .as(text)
                    .extracting(EventError::reason)
                    .isEqualTo(reason);
            assertThat(validator.validate(text.getBytes(StandardCharsets.UTF_8)))
                    .as(text)
                    .extracting(EventError::reason)
                    .containsExactly(reason);
        });
        // JSON Schema counts an integral float as an integer: both accept it, as the integer.
        String integral = note.replace("\"author_id\":139", "\"author_id\":139.0");
        assertThat(validator.validate(integral.getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(json.read(integral).value()).isEqualTo(json.read(note).value());
    }
}
