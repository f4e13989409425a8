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
    /** A GitLab payload whose kind is not recognised at all. */
    UNSUPPORTED_KIND,
    /** A GitLab payload whose kind is recognised but deliberately not converted (e.g. test hooks). */
    UNSUPPORTED_ACTION,
    /** The payload exceeds the size limit. */
    OVERSIZED,
    /** The event is later than the allowed lateness (late output, not a dead letter). */
    LATE
}
