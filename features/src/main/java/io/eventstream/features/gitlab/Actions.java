package io.eventstream.features.gitlab;

import io.eventstream.features.events.ReasonCode;

/** Where GitLab puts the {@code action} of a body, and the error for one we do not convert. */
final class Actions {
    private Actions() {}

    /** {@code object_attributes.action}, else the top-level {@code action} (releases, milestones). */
    static String of(JsonFields body) {
        String action = body.object("object_attributes").keyword("action");
        return action != null ? action : body.keyword("action");
    }

    static PayloadException unsupported(String kind, String action) {
        if (action == null) {
            return new PayloadException(
                    ReasonCode.UNSUPPORTED_ACTION,
                    "object_attributes.action",
                    kind + " body without an action (a test delivery or a body from a GitLab too old to say"
                            + " what happened): nothing to convert");
        }
        return new PayloadException(
                ReasonCode.UNSUPPORTED_ACTION,
                "object_attributes.action",
                kind + " action '" + GitLabAdapter.identifier(action) + "' has no canonical event type");
    }
}
