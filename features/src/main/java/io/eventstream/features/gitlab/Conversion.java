package io.eventstream.features.gitlab;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.EventError;
import io.eventstream.features.events.ReasonCode;
import java.util.List;
import java.util.Objects;

/**
 * The result of converting one GitLab delivery: the canonical events it yields (one, or more when a
 * delivery carries several facts, e.g. a merge-request update that also changed reviewers), or the
 * reason it yields none.
 *
 * @param events  the events, in delivery order; empty when {@code error} is set
 * @param error   why nothing was converted; null on success
 */
public record Conversion(List<CloudEvent> events, EventError error) {

    public Conversion {
        events = List.copyOf(Objects.requireNonNull(events, "events"));
        if (error == null && events.isEmpty()) {
            throw new IllegalArgumentException("a successful conversion has at least one event");
        }
        if (error != null && !events.isEmpty()) {
            throw new IllegalArgumentException("a failed conversion has no events");
        }
    }

    public static Conversion ok(List<CloudEvent> events) {
        return new Conversion(events, null);
    }

    public static Conversion failed(EventError error) {
        return new Conversion(List.of(), Objects.requireNonNull(error, "error"));
    }

    /** True when the delivery converted to at least one event. */
    public boolean isOk() {
        return error == null;
    }

    /**
     * True when GitLab's kind or action was recognised but is deliberately not converted
     * ({@link ReasonCode#UNSUPPORTED_KIND} or {@link ReasonCode#UNSUPPORTED_ACTION}: test deliveries,
     * kinds with no canonical type). Any other error means the payload is invalid.
     */
    public boolean unsupported() {
        return error != null
                && (error.reason() == ReasonCode.UNSUPPORTED_KIND || error.reason() == ReasonCode.UNSUPPORTED_ACTION);
    }
}
