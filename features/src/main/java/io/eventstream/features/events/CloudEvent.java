package io.eventstream.features.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A canonical event: a CloudEvents 1.0 envelope around typed {@link EventData}.
 *
 * @param id             unique per source; GitLab's delivery UUID where known, else a stable payload hash
 * @param source         the GitLab instance URI, e.g. {@code https://gitlab.example.com}
 * @param type           the event type
 * @param time           when it happened in GitLab (event time)
 * @param subject        the object, e.g. {@code projects/42/merge_requests/7}
 * @param dataschema     URI of the data's JSON Schema, may be null
 * @param recordedTime   extension {@code recordedtime}: when it was ingested; may be null
 * @param partitionKey   extension {@code partitionkey} and the Kafka key: the entity the event is about
 * @param data           the typed payload; its class is {@code type.dataClass()}
 */
public record CloudEvent(
        String id,
        String source,
        EventType type,
        Instant time,
        String subject,
        String dataschema,
        Instant recordedTime,
        String partitionKey,
        EventData data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String DATA_CONTENT_TYPE = "application/json";
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";

    public CloudEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
        if (!type.dataClass().isInstance(data)) {
            throw new IllegalArgumentException(
                    "data of " + type.type() + " must be " + type.dataClass().getSimpleName() + ", got "
                            + data.getClass().getSimpleName());
        }
    }

    /** Event time in epoch milliseconds, the unit every window and dataset uses. */
    public long timeMillis() {
        return time.toEpochMilli();
    }

    /** The data cast to its record type. */
    public <T extends EventData> T dataAs(Class<T> type) {
        return type.cast(data);
    }

    /** The {@code dataschema} this project uses for a type. */
    public static String schemaUri(EventType type) {
        return "https://eventstream.io/schemas/" + type.type() + ".json";
    }
}
