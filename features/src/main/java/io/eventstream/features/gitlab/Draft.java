package io.eventstream.features.gitlab;

import io.eventstream.features.events.EventData;
import io.eventstream.features.events.EventType;
import java.time.Instant;

/**
 * What a converter knows about one event; {@link GitLabAdapter} adds the envelope attributes that
 * depend on the delivery (id, source, recorded time, schema).
 */
record Draft(EventType type, Instant time, String subject, String partitionKey, EventData data) {

    /** The partition key rule: the acting user when there is one, else the subject. */
    static Draft of(EventType type, Instant time, String subject, Long actorId, EventData data) {
        return new Draft(type, time, subject, actorId == null ? subject : Long.toString(actorId), data);
    }
}
