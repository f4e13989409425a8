package io.eventstream.connectors.testing;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.NoteData;
import java.time.Instant;

/** Small, distinct, valid events for connector tests. */
public final class TestEvents {

    private TestEvents() {}

    /** A note by user {@code 100 + i % 7} at a time that grows with {@code i}; partition key is the user id. */
    public static CloudEvent note(int i) {
        long author = 100 + i % 7;
        return new CloudEvent(
                "evt-" + i,
                "https://gitlab.example.com",
                EventType.NOTE_CREATED,
                Instant.parse("2024-03-01T10:00:00Z").plusSeconds(i),
                "projects/5/notes/" + i,
                CloudEvent.schemaUri(EventType.NOTE_CREATED),
                null,
                Long.toString(author),
                new NoteData(5L, i, author, NoteData.ISSUE, 900L, 3L, null, "note " + i, false, false, null));
    }
}
