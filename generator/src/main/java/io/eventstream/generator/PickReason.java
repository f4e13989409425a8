package io.eventstream.generator;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why the generator chose a reviewer: the largest term of the score, or a random pick. */
public enum PickReason {
    /** The candidate recently touched the directories the merge request changes. */
    EXPERTISE,
    /** The candidate often reviewed this author's merge requests. */
    HISTORY,
    /** Neither: the candidate had the fewest open reviews. */
    LOAD,
    /** Noise: a uniformly random eligible member. */
    RANDOM;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
