package io.eventstream.features.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.Decoded;
import io.eventstream.features.events.EventError;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.NoteData;
import io.eventstream.features.events.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventValidatorTest {
    private static final EventValidator VALIDATOR = new EventValidator();
    private final CloudEventJson json = new CloudEventJson();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void fullyPopulatedEventOfEveryTypeIsValid(EventType type) {
        byte[] bytes = json.write(SampleEvents.full(type, 3));
        assertThat(VALIDATOR.validate(bytes)).isEmpty();
        assertThat(json.read(bytes).isOk()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void minimalEventOfEveryTypeIsValid(EventType type) {
        byte[] bytes = json.write(SampleEvents.minimal(type));
        assertThat(VALIDATOR.validate(bytes)).isEmpty();
    }

    @Test
    void explicitNullsInOptionalFieldsAreValid() {
        ObjectNode event = note();
        event.putNull("subject");
        event.putNull("recordedtime");
        ((ObjectNode) event.get("data")).putNull("diff_position");
        ((ObjectNode) event.get("data")).putNull("project_id");
        assertThat(VALIDATOR.validate(event)).isEmpty();
    }

    // ---------------------------------------------------------------- exact codes and paths

    @Test
    void missingRequiredDataField() {
        assertThat(validate(note(), e -> data(e).remove("author_id")))
                .containsExactly(new EventError(
                        ReasonCode.MISSING_FIELD, "data.author_id", "missing required field 'data.author_id'"));
    }

    @Test
    void nullInRequiredDataFieldIsMissing() {
        assertThat(codesAndFields(validate(note(), e -> data(e).putNull("note_id"))))
                .containsExactly("MISSING_FIELD data.note_id");
    }

    @Test
    void missingAndEmptyEnvelopeAttributes() {
        assertThat(codesAndFields(validate(note(), e -> e.remove("id")))).containsExactly("MISSING_FIELD id");
        assertThat(codesAndFields(validate(note(), e -> e.put("source", "")))).containsExactly("MISSING_FIELD source");
        assertThat(codesAndFields(validate(note(), e -> e.put("time", "")))).containsExactly("MISSING_FIELD time");
        assertThat(codesAndFields(validate(note(), e -> e.remove("data")))).containsExactly("MISSING_FIELD data");
        assertThat(codesAndFields(validate(note(), e -> e.putNull("data")))).containsExactly("MISSING_FIELD data");
        assertThat(codesAndFields(validate(note(), e -> e.remove("specversion"))))
                .containsExactly("MISSING_FIELD specversion");
    }

    @Test
    void wrongTypesAndEnumValuesAreInvalidField() {
        assertThat(validate(note(), e -> data(e).put("author_id", "seventeen")))
                .containsExactly(new EventError(
                        ReasonCode.INVALID_FIELD, "data.author_id", "'data.author_id' must be integer, got string"));
        assertThat(codesAndFields(validate(note(), e -> data(e).put("system", "yes"))))
                .containsExactly("INVALID_FIELD data.system");
        assertThat(codesAndFields(validate(note(), e -> e.putArray("data")))).containsExactly("INVALID_FIELD data");
        assertThat(codesAndFields(validate(note(), e -> e.put("id", 42)))).containsExactly("INVALID_FIELD id");
        assertThat(validate(SampleEvents.full(EventType.SPAM_VERDICT, 1), e -> data(e).put("verdict", "MAYBE")))
                .containsExactly(
                        new EventError(
                                ReasonCode.INVALID_FIELD,
                                "data.verdict",
                                "'data.verdict' is not one of [\"ALLOW\",\"CONDITIONAL_ALLOW\",\"DISALLOW\",\"BLOCK\",\"NOOP\",null]"));
        // The JSON value of the enum is lower case; the Java constant name is not accepted.
        assertThat(codesAndFields(validate(
                        SampleEvents.full(EventType.ABUSE_REPORT_RESOLVED, 1),
                        e -> data(e).put("resolution", "BANNED"))))
                .containsExactly("INVALID_FIELD data.resolution");
    }

    @Test
    void nestedFieldsHaveIndexedPaths() {
        assertThat(codesAndFields(validate(
                        SampleEvents.full(EventType.PUSH, 1),
                        e -> ((ArrayNode) data(e).get("commits").get(1).get("added")).add(12))))
                .containsExactly("INVALID_FIELD data.commits[1].added[0]");
        assertThat(codesAndFields(
                        validate(note(), e -> ((ObjectNode) data(e).get("diff_position")).put("old_line", "twelve"))))
                .containsExactly("INVALID_FIELD data.diff_position.old_line");
        assertThat(codesAndFields(
                        validate(note(), e -> ((ObjectNode) data(e).get("diff_position")).put("new_line", 1L << 31))))
                .containsExactly("INVALID_FIELD data.diff_position.new_line");
        assertThat(codesAndFields(validate(
                        SampleEvents.full(EventType.ISSUE_OPENED, 1),
                        e -> ((ArrayNode) data(e).get("assignee_ids")).addNull())))
                .containsExactly("INVALID_FIELD data.assignee_ids[2]");
    }

    @Test
    void badTimestampsAndSpecVersion() {
        assertThat(validate(note(), e -> e.put("time", "yesterday")))
                .containsExactly(new EventError(ReasonCode.BAD_TIMESTAMP, "time", "time is not an RFC 3339 timestamp"));
        // GitLab's own format must have been normalized by the adapter before it reaches the topic.
        assertThat(codesAndFields(validate(note(), e -> e.put("time", "2017-12-10 16:37:38 UTC"))))
                .containsExactly("BAD_TIMESTAMP time");
        assertThat(codesAndFields(validate(note(), e -> e.put("recordedtime", "2024-13-01T00:00:00Z"))))
                .containsExactly("BAD_TIMESTAMP recordedtime");
        assertThat(codesAndFields(validate(note(), e -> e.put("time", 1709288130000L))))
                .containsExactly("INVALID_FIELD time");
        assertThat(validate(note(), e -> e.put("specversion", "0.3")))
                .containsExactly(new EventError(ReasonCode.BAD_SPEC_VERSION, "specversion", "specversion must be 1.0"));
        assertThat(validate(note(), e -> e.put("dataschema", "not a uri")))
                .containsExactly(
                        new EventError(ReasonCode.INVALID_FIELD, "dataschema", "'dataschema' is not a valid uri"));
    }

    @Test
    void typeDecidesTheSchema() {
        assertThat(codesAndFields(validate(note(), e -> e.put("type", "com.example.nope"))))
                .containsExactly("UNKNOWN_TYPE type");
        assertThat(codesAndFields(validate(note(), e -> e.remove("type")))).containsExactly("MISSING_FIELD type");
        assertThat(codesAndFields(validate(note(), e -> e.put("type", 7)))).containsExactly("INVALID_FIELD type");
        // A note's data under the push type misses the push's required fields.
        assertThat(codesAndFields(validate(note(), e -> e.put("type", EventType.PUSH.type()))))
                .containsExactly(
                        "MISSING_FIELD data.created",
                        "MISSING_FIELD data.deleted",
                        "MISSING_FIELD data.total_commits_count");
    }

    @Test
    void everyViolationIsReportedOncePerFieldSortedByPath() {
        List<EventError> errors = validate(note(), e -> {
            e.remove("id");
            e.put("time", "noon");
            data(e).remove("author_id");
            data(e).put("note_id", "x");
        });
        assertThat(codesAndFields(errors))
                .containsExactly(
                        "MISSING_FIELD data.author_id",
                        "INVALID_FIELD data.note_id",
                        "MISSING_FIELD id",
                        "BAD_TIMESTAMP time");
    }

    @Test
    void malformedInputNeverThrows() {
        assertThat(codes(VALIDATOR.validate(bytes("{not json")))).containsExactly(ReasonCode.MALFORMED_JSON);
        assertThat(codes(VALIDATOR.validate(bytes("[1,2]")))).containsExactly(ReasonCode.MALFORMED_JSON);
        assertThat(codes(VALIDATOR.validate(bytes("\"text\"")))).containsExactly(ReasonCode.MALFORMED_JSON);
        assertThat(codes(VALIDATOR.validate(new byte[0]))).containsExactly(ReasonCode.MALFORMED_JSON);
        assertThat(codes(VALIDATOR.validate((byte[]) null))).containsExactly(ReasonCode.MALFORMED_JSON);
        assertThat(codes(VALIDATOR.validate((JsonNode) null))).containsExactly(ReasonCode.MALFORMED_JSON);
        assertThat(codes(VALIDATOR.validate(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00})))
                .containsExactly(ReasonCode.MALFORMED_JSON);
    }

    @Test
    void sizeLimitIsOneMebibyteByDefault() {
        assertThat(VALIDATOR.maxBytes()).isEqualTo(1 << 20);
        // Pad a note body so the whole event is exactly at the limit, then one byte over it.
        CloudEvent base = noteWithBody("");
        int overhead = json.write(base).length;
        byte[] atLimit = json.write(noteWithBody("a".repeat((1 << 20) - overhead)));
        assertThat(atLimit).hasSize(1 << 20);
        assertThat(VALIDATOR.validate(atLimit)).isEmpty();
        byte[] overLimit = json.write(noteWithBody("a".repeat((1 << 20) - overhead + 1)));
        assertThat(VALIDATOR.validate(overLimit))
                .containsExactly(EventError.of(
                        ReasonCode.OVERSIZED, "payload of 1048577 bytes exceeds the limit of 1048576 bytes"));
        assertThat(codes(new EventValidator(100).validate(bytes("{\"x\":\"" + "a".repeat(200) + "\"}"))))
                .containsExactly(ReasonCode.OVERSIZED);
    }

    @Test
    void messagesNeverQuoteThePayload() {
        String secret = "alice@example.com";
        List<EventError> errors = new ArrayList<>();
        errors.addAll(validate(note(), e -> e.put("time", secret)));
        errors.addAll(validate(note(), e -> e.put("type", secret)));
        errors.addAll(validate(note(), e -> data(e).put("author_id", secret)));
        errors.addAll(validate(SampleEvents.full(EventType.SPAM_VERDICT, 1), e -> data(e).put("verdict", secret)));
        errors.addAll(VALIDATOR.validate(bytes("{\"id\": \"" + secret + "\", oops")));
        assertThat(errors)
                .hasSize(5)
                .allSatisfy(error -> assertThat(error.message()).doesNotContain("alice"));
    }

    // ---------------------------------------------------------------- agreement with the codec

    /**
     * For a sample of types, removing or nulling any required field gives the same single error
     * from the validator as from {@link CloudEventJson#read}; so does a wrong JSON type.
     */
    @ParameterizedTest
    @EnumSource(
            value = EventType.class,
            names = {
                "USER_CREATED",
                "MEMBER_ADDED",
                "ISSUE_CLOSED",
                "NOTE_CREATED",
                "MERGE_REQUEST_MERGED",
                "PUSH",
                "EMOJI_AWARDED",
                "SPAM_VERDICT",
                "ABUSE_REPORT_RESOLVED",
                "JOB_UPDATED"
            })
    void validatorAndCodecAgreeOnRequiredFields(EventType type) {
        ObjectNode valid = json.toJsonNode(SampleEvents.full(type, 2));
        List<String> required = new ArrayList<>();
        for (String attribute : List.of("specversion", "id", "source", "time", "data")) {
            required.add(attribute);
        }
        valid.get("data").fieldNames().forEachRemaining(field -> {
            if (isPrimitive(type, field)) {
                required.add("data." + field);
            }
        });
        for (String path : required) {
            assertAgree(without(valid, path, false), path + " removed");
            assertAgree(without(valid, path, true), path + " null");
            if (path.startsWith("data.")) {
                ObjectNode wrongType = valid.deepCopy();
                ((ObjectNode) wrongType.get("data")).putArray(path.substring(5));
                assertAgree(wrongType, path + " as array");
            }
        }
    }

    /**
     * Timestamps both accept and both reject. Known difference, not listed: the codec also accepts
     * a time without seconds ({@code 2024-03-01T10:15Z}), which RFC 3339 and the validator do not.
     */
    @Test
    void validatorAndCodecAgreeOnTimestamps() {
        List<String> accepted = List.of(
                "2024-03-01T10:15:30Z",
                "2024-03-01t10:15:30z",
                "2024-03-01T10:15:30+05:30",
                "2024-03-01T10:15:30.123456789Z",
                "2024-03-01T10:15:30-08:00");
        List<String> rejected = List.of(
                "2024-03-01",
                "2024-03-01T10:15:30",
                "2024-02-30T10:15:30Z",
                "2017-12-10 16:37:38 UTC",
                "2021-04-28 21:50:00 +0200",
                "+2024-03-01T10:15:30Z");
        for (String time : accepted) {
            ObjectNode event = note().put("time", time);
            assertThat(json.read(event.toString()).isOk()).as(time).isTrue();
            assertThat(VALIDATOR.validate(event)).as(time).isEmpty();
        }
        for (String time : rejected) {
            assertAgree(note().put("time", time), time);
        }
    }

    private void assertAgree(ObjectNode event, String what) {
        Decoded<CloudEvent> decoded = json.read(event.toString());
        assertThat(decoded.isOk()).as(what).isFalse();
        List<EventError> errors = VALIDATOR.validate(bytes(event.toString()));
        assertThat(codesAndFields(errors))
                .as(what)
                .containsExactly(
                        decoded.error().reason() + " " + decoded.error().field());
    }

    private static boolean isPrimitive(EventType type, String jsonField) {
        for (var component : type.dataClass().getRecordComponents()) {
            if (component.getName().replaceAll("([A-Z])", "_$1").toLowerCase().equals(jsonField)) {
                return component.getType().isPrimitive();
            }
        }
        throw new AssertionError("no component for " + jsonField);
    }

    private static ObjectNode without(ObjectNode valid, String path, boolean asNull) {
        ObjectNode copy = valid.deepCopy();
        ObjectNode parent = path.startsWith("data.") ? (ObjectNode) copy.get("data") : copy;
        String field = path.startsWith("data.") ? path.substring(5) : path;
        if (asNull) {
            parent.putNull(field);
        } else {
            parent.remove(field);
        }
        return copy;
    }

    // ---------------------------------------------------------------- helpers

    private ObjectNode note() {
        return json.toJsonNode(SampleEvents.full(EventType.NOTE_CREATED, 1));
    }

    private static CloudEvent noteWithBody(String body) {
        return new CloudEvent(
                "evt-1",
                SampleEvents.SOURCE,
                EventType.NOTE_CREATED,
                Instant.parse("2024-03-01T10:15:30Z"),
                "projects/5/notes/9",
                null,
                null,
                "17",
                new NoteData(5L, 9, 17, NoteData.ISSUE, 100L, 3L, null, body, false, false, null));
    }

    private List<EventError> validate(CloudEvent event, Consumer<ObjectNode> breakIt) {
        return validate(json.toJsonNode(event), breakIt);
    }

    /** Validates the broken event both as a tree and as bytes, and checks the two agree. */
    private static List<EventError> validate(ObjectNode event, Consumer<ObjectNode> breakIt) {
        breakIt.accept(event);
        List<EventError> fromTree = VALIDATOR.validate(event);
        assertThat(VALIDATOR.validate(bytes(event.toString()))).isEqualTo(fromTree);
        return fromTree;
    }

    private static ObjectNode data(ObjectNode event) {
        return (ObjectNode) event.get("data");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<ReasonCode> codes(List<EventError> errors) {
        return errors.stream().map(EventError::reason).toList();
    }

    private static List<String> codesAndFields(List<EventError> errors) {
        return errors.stream().map(e -> e.reason() + " " + e.field()).toList();
    }
}
