package io.eventstream.features.events;

/**
 * Why a record could not be decoded, converted or validated.
 *
 * @param reason   stable code
 * @param field    JSON path of the offending field, e.g. {@code data.user_id}; null when not about one field
 * @param message  human readable; never contains the payload's text or personal data
 */
public record EventError(ReasonCode reason, String field, String message) {

    public static EventError of(ReasonCode reason, String message) {
        return new EventError(reason, null, message);
    }

    public static EventError missing(String field) {
        return new EventError(ReasonCode.MISSING_FIELD, field, "missing required field '" + field + "'");
    }

    @Override
    public String toString() {
        return reason + (field == null ? "" : " at " + field) + ": " + message;
    }
}
