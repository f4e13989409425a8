package io.eventstream.features.gitlab;

import io.eventstream.features.events.ReasonCode;
import java.time.Instant;

/**
 * The two event-time rules every converter uses (the per-kind choice is documented in
 * {@code docs/gitlab-adapters.md}).
 */
final class EventTimes {
    private EventTimes() {}

    /**
     * The payload carries the action's own timestamp: the first present candidate, else the receive
     * time. {@code field} names the preferred candidate when nothing is found.
     */
    static Instant fromPayload(String field, Instant receivedAt, Instant... candidates) {
        for (Instant candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        if (receivedAt != null) {
            return receivedAt;
        }
        throw new PayloadException(
                ReasonCode.MISSING_FIELD,
                field,
                "no event time: '" + field + "' is absent and no receive time was given");
    }

    /**
     * The payload carries no timestamp of the action itself (removals, wiki edits, repository updates,
     * token expiry notices): the receive time is the only honest event time.
     */
    static Instant received(String kind, Instant receivedAt) {
        if (receivedAt != null) {
            return receivedAt;
        }
        throw new PayloadException(
                ReasonCode.MISSING_FIELD,
                "time",
                "no event time: a " + kind + " payload has no timestamp of the action and no receive time was given");
    }
}
