package io.eventstream.features.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudEventJsonTest {
    private final CloudEventJson json = new CloudEventJson();

    private static CloudEvent note() {
        return new CloudEvent(
                "evt-1",
                "https://gitlab.example.com",
                EventType.NOTE_CREATED,
                Instant.parse("2024-03-01T10:15:30.123Z"),
                "projects/5/notes/9",
                CloudEvent.schemaUri(EventType.NOTE_CREATED),
                Instant.parse("2024-03-01T10:15:31Z"),
                "17",
                new NoteData(5L, 9, 17, NoteData.ISSUE, 100L, 3L, null, "Hello ünïcode 🎉", false, false, null));
    }

    @Test
    void structuredModeRoundTripsExactly() {
        CloudEvent event = note();
        String text = json.writeString(event);
        assertThat(text)
                .startsWith("{\"specversion\":\"1.0\",\"id\":\"evt-1\"")
                .contains("\"time\":\"2024-03-01T10:15:30.123Z\"")
                .contains("\"partitionkey\":\"17\"")
                .contains("\"noteable_type\":\"Issue\"");
        Decoded<CloudEvent> back = json.read(text);
        assertThat(back.isOk()).as(back.toString()).isTrue();
        assertThat(back.value()).isEqualTo(event);
    }

    @Test
    void binaryModeReadsHeadersAndData() {
        CloudEvent event = note();
        Map<String, String> headers = json.binaryHeaders(event);
        assertThat(headers)
                .containsEntry("ce_type", "com.gitlab.note.created")
                .containsEntry("content-type", "application/json");
        assertThat(CloudEventJson.isBinaryMode(headers)).isTrue();
        Decoded<CloudEvent> back = json.readBinary(headers, json.writeData(event));
        assertThat(back.value()).isEqualTo(event);
    }

    @Test
    void missingRequiredDataFieldIsMissingField() {
        String bad = "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"com.gitlab.note.created\","
                + "\"time\":\"2024-03-01T10:15:30Z\",\"data\":{\"note_id\":1,\"noteable_type\":\"Issue\"}}";
        Decoded<CloudEvent> result = json.read(bad);
        assertThat(result.error().reason()).isEqualTo(ReasonCode.MISSING_FIELD);
        assertThat(result.error().field()).isEqualTo("data.author_id");
    }

    @Test
    void badInputGetsStableReasonCodes() {
        assertThat(json.read("{not json").error().reason()).isEqualTo(ReasonCode.MALFORMED_JSON);
        assertThat(json.read("[1,2]").error().reason()).isEqualTo(ReasonCode.MALFORMED_JSON);
        assertThat(json.read("{\"specversion\":\"0.3\",\"type\":\"com.gitlab.push\"}")
                        .error()
                        .reason())
                .isEqualTo(ReasonCode.BAD_SPEC_VERSION);
        assertThat(json.read("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"com.example.nope\","
                                + "\"time\":\"2024-03-01T10:15:30Z\",\"data\":{}}")
                        .error()
                        .reason())
                .isEqualTo(ReasonCode.UNKNOWN_TYPE);
        assertThat(json.read("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"com.gitlab.push\","
                                + "\"time\":\"yesterday\",\"data\":{}}")
                        .error()
                        .reason())
                .isEqualTo(ReasonCode.BAD_TIMESTAMP);
        assertThat(json.read("{\"specversion\":\"1.0\",\"source\":\"s\",\"type\":\"com.gitlab.push\"}")
                        .error())
                .isEqualTo(EventError.missing("id"));
        String verdict = "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"com.gitlab.spam.verdict\","
                + "\"time\":\"2024-03-01T10:15:30Z\",\"data\":{\"user_id\":3,\"verdict\":\"MAYBE\"}}";
        assertThat(json.read(verdict).error().reason()).isEqualTo(ReasonCode.INVALID_FIELD);
    }

    @Test
    void oversizedPayloadIsRejectedBeforeParsing() {
        CloudEventJson small = new CloudEventJson(100);
        byte[] big = ("{\"x\":\"" + "a".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(small.read(big).error().reason()).isEqualTo(ReasonCode.OVERSIZED);
    }

    @Test
    void personalFieldsAreListedFromAnnotations() {
        assertThat(PersonalFields.of(NoteData.class)).containsExactly("body");
        assertThat(PersonalFields.of(UserData.class)).containsExactly("username", "previousUsername", "name", "email");
        assertThat(PersonalFields.of(PushData.class)).isEmpty();
        assertThat(PersonalFields.of(MergeRequestData.class)).isEqualTo(List.of("title", "description"));
    }
}
