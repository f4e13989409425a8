package io.eventstream.features.spam;

/** The value a windowed spam feature takes from each input it reads ({@link SpamFeatureSpec}). */
public enum SpamValue {
    /** 1 per input: what a count sums. */
    ONE("1"),
    /** {@link SpamInput#linkCount}. */
    LINK_COUNT("link_count"),
    /** {@link SpamInput#mentionCount}. */
    MENTION_COUNT("mention_count"),
    /** {@link SpamInput#projectId}; absent when null. */
    PROJECT_ID("project_id"),
    /** {@link SpamInput#textHash}. */
    TEXT_HASH("text_hash");

    private final String field;

    SpamValue(String field) {
        this.field = field;
    }

    /** The name of the value in docs and in {@code _feature_set.json}: the input field, or {@code 1}. */
    public String field() {
        return field;
    }

    /** Whether the input has this value (only a project id can be missing). */
    public boolean isPresent(SpamInput input) {
        return this != PROJECT_ID || input.projectId != null;
    }

    /** The value of an input; call only when {@link #isPresent}. */
    public long of(SpamInput input) {
        return switch (this) {
            case ONE -> 1;
            case LINK_COUNT -> input.linkCount;
            case MENTION_COUNT -> input.mentionCount;
            case PROJECT_ID -> input.projectId;
            case TEXT_HASH -> input.textHash;
        };
    }
}
