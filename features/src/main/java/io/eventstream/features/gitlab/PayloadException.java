package io.eventstream.features.gitlab;

import io.eventstream.features.events.EventError;
import io.eventstream.features.events.ReasonCode;

/**
 * Carries a typed {@link EventError} out of the field readers to {@link GitLabAdapter#convert}, which
 * turns it into a failed {@link Conversion}. It never escapes the package.
 */
final class PayloadException extends RuntimeException {
    private final transient EventError error;

    PayloadException(EventError error) {
        // No stack trace: bad payloads are routine on a webhook stream and the trace says nothing.
        super(error.toString(), null, false, false);
        this.error = error;
    }

    PayloadException(ReasonCode reason, String field, String message) {
        this(new EventError(reason, field, message));
    }

    EventError error() {
        return error;
    }
}
