package io.eventstream.features.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The digest that tells a redelivery from a conflict: the same for the same content however it was
 * delivered (recordedtime, partitionkey, dataschema, structured or binary mode), different when the
 * type, time, subject or any data field differs.
 */
class EventDigestTest {
    private final CloudEventJson json = new CloudEventJson();
    private final EventDigest digest = new EventDigest();

    private static final NoteData NOTE = new NoteData(1L, 2L, 3L, "Issue", 4L, 5L, null, "hello", false, false, null);
    private static final CloudEvent EVENT = new CloudEvent(
            "n-1",
            "https://gitlab.example.com",
            EventType.NOTE_CREATED,
            Instant.parse("2024-03-01T10:15:30.250Z"),
            "projects/1/notes/2",
            null,
            null,
            "3",
            NOTE);

    @Test
    void aRedeliveryHasTheSameDigestHoweverItWasDelivered() {
        long original = digest.of(EVENT);
        CloudEvent redelivered = new CloudEvent(
                "n-1",
                "https://gitlab.example.com",
                EventType.NOTE_CREATED,
                Instant.parse("2024-03-01T10:15:30.250Z"),
                "projects/1/notes/2",
                CloudEvent.schemaUri(EventType.NOTE_CREATED),
                Instant.parse("2024-03-01T11:00:00Z"),
                "other-key",
                NOTE);
        assertThat(digest.of(redelivered)).isEqualTo(original);
        Map<String, String> headers = json.binaryHeaders(EVENT);
        assertThat(digest.of(json.readBinary(headers, json.writeData(EVENT)).value()))
                .isEqualTo(original);
        assertThat(digest.of(json.read(json.write(EVENT)).value())).isEqualTo(original);
    }

    @Test
    void anyDifferenceInContentChangesTheDigest() {
        Set<Long> digests = new HashSet<>();
        digests.add(digest.of(EVENT));
        digests.add(digest.of(new CloudEvent(
                "n-1", EVENT.source(), EventType.NOTE_UPDATED, EVENT.time(), EVENT.subject(), null, null, "3", NOTE)));
        digests.add(digest.of(new CloudEvent(
                "n-1",
                EVENT.source(),
                EventType.NOTE_CREATED,
                EVENT.time().plusNanos(1),
                EVENT.subject(),
                null,
                null,
                "3",
                NOTE)));
        digests.add(digest.of(new CloudEvent(
                "n-1", EVENT.source(), EventType.NOTE_CREATED, EVENT.time(), null, null, null, "3", NOTE)));
        digests.add(digest.of(new CloudEvent(
                "n-1",
                EVENT.source(),
                EventType.NOTE_CREATED,
                EVENT.time(),
                EVENT.subject(),
                null,
                null,
                "3",
                new NoteData(1L, 2L, 3L, "Issue", 4L, 5L, null, "hello!", false, false, null))));
        assertThat(digests).hasSize(5);
    }
}
