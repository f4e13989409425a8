package io.eventstream.features.events;

/**
 * Stable reason codes for records that cannot become canonical events. They appear in dead-letter
 * outputs, metrics and CLI errors: never rename one, only add.
 */
public enum ReasonCode {
    /** Not parseable as JSON (or not a JSON object). */
    MALFORMED_JSON,
    /** A required attribute or data field is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong JSON type or a value outside its allowed set. */
    INVALID_FIELD,
    /** A timestamp in none of the accepted formats. */
    BAD_TIMESTAMP,
    /** {@code specversion} is not 1.0. */
    BAD_SPEC_VERSION,
    /** A canonical {@code type} that this project does not define. */
    UNKNOWN_TYPE,
    /**
     * A GitLab payload of a kind GitLab sends but this project has no canonical type for (e.g. the system
     * hook {@code project_destroy}). A body with no recognisable kind at all is {@link #MISSING_FIELD} or
     * {@link #INVALID_FIELD} at {@code object_kind}/{@code event_name}.
     */
    UNSUPPORTED_KIND,
    /** A GitLab payload whose kind is recognised but deliberately not converted (e.g. test hooks). */
    UNSUPPORTED_ACTION,
    /** The payload exceeds the size limit. */
    OVERSIZED,
    /** The event is later than the allowed lateness (late output, not a dead letter). */
    LATE,
    /**
     * The event's {@code time} is more than {@code time.max_future} ahead of when it was recorded (the
     * Kafka record timestamp, else {@code recordedtime}, else when the job read it). It never moves a
     * watermark.
     */
    FUTURE_TIME,
    /**
     * Another event with the same {@code source} and {@code id} but different content (type, time,
     * subject or data) was seen first, within {@code dedup.horizon}; the first one is kept. (An
     * identical copy is a duplicate: counted, dropped, not a dead letter.)
     */
    DUPLICATE_CONFLICT
}
