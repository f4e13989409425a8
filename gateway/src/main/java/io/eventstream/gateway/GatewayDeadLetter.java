package io.eventstream.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.EventError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The dead letter of a body that is not a GitLab payload. Unlike the jobs' dead letters it carries no
 * raw bytes: a body that fails to parse can be anything a caller sent, personal data included, so only
 * its size and SHA-256 digest identify it (a sender who still has the body can match it).
 *
 * <pre>{@code
 * {"source":"gitlab-main","reason":"MALFORMED_JSON","field":null,"message":"not valid JSON at line 1, column 2",
 *  "event_header":"Issue Hook","delivery":"0b5c...","size":17,"sha256":"9f86d0...","received_time":"2024-03-01T10:15:30.123Z"}
 * }</pre>
 */
record GatewayDeadLetter(
        String source,
        EventError error,
        String eventHeader,
        String delivery,
        long size,
        byte[] sha256,
        Instant received) {

    private static final JsonFactory JSON = new JsonFactory();

    byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(384);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("source", source);
            json.writeStringField("reason", error.reason().name());
            json.writeStringField("field", error.field());
            json.writeStringField("message", error.message());
            json.writeStringField("event_header", eventHeader);
            json.writeStringField("delivery", delivery);
            json.writeNumberField("size", size);
            json.writeStringField("sha256", HexFormat.of().formatHex(sha256));
            json.writeStringField("received_time", CloudEventJson.formatTime(received));
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
