package io.eventstream.generator;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a generated spammer behaves; written in the ground truth. */
public enum SpammerStyle {
    /** Bursts of varying intensity of a few repeated texts (with or without links), mostly in projects it is not a member of. */
    BURST,
    /** Bursts of issues and comments that @mention many users, one link or a contact each, text repeated. */
    MENTION,
    /** Joins a project or two, posts a few varied, normal-looking comments a day with one promotional link. */
    SLOW_CAREFUL;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
