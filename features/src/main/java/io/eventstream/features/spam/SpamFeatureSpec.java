package io.eventstream.features.spam;

import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.config.SpamWindowedFeature;
import java.util.ArrayList;
import java.util.List;

/**
 * What a windowed spam feature computes, declared once beside its key and windows in
 * {@link SpamWindowedFeature}: which inputs it reads (a set of {@link SpamInput} kinds), which
 * value it takes from each ({@link SpamValue}), how it aggregates them in a window
 * ({@link SpamAggregation}) and whether it is a column of the online table. The engine, the
 * schemas, the docs and the tests' naive reference are derived from it.
 *
 * @param kinds       bit {@code 1 << kind} for each {@link SpamInput} kind read
 * @param online      whether {@code spam_user_features} has its columns (it then has a value at any
 *                    request time, without a content event)
 */
public record SpamFeatureSpec(long kinds, SpamValue value, SpamAggregation aggregation, boolean online) {
    /** Issues opened, notes created (not system notes) and merge requests opened. */
    public static final long CONTENT =
            kinds(SpamInput.ISSUE_OPENED, SpamInput.NOTE_CREATED, SpamInput.MERGE_REQUEST_OPENED);

    public SpamFeatureSpec {
        if (kinds == 0) {
            throw new IllegalArgumentException("a feature reads at least one input kind");
        }
        if ((aggregation == SpamAggregation.COUNT || aggregation == SpamAggregation.COUNT_BEFORE)
                != (value == SpamValue.ONE)) {
            throw new IllegalArgumentException(
                    "counts, and only counts, take the value 1: " + aggregation + " of " + value);
        }
        if (aggregation == SpamAggregation.SAME_KEY_COUNT && online) {
            throw new IllegalArgumentException("a same-value count needs the current event: it cannot be online");
        }
    }

    /** The mask of the given kinds. */
    public static long kinds(int... kinds) {
        long mask = 0;
        for (int kind : kinds) {
            mask |= 1L << kind;
        }
        return mask;
    }

    /** Inputs of the kinds, current event included. */
    public static SpamFeatureSpec count(long kinds) {
        return new SpamFeatureSpec(kinds, SpamValue.ONE, SpamAggregation.COUNT, true);
    }

    /** The sum of a value over inputs of the kinds, current event included. */
    public static SpamFeatureSpec sum(SpamValue value, long kinds) {
        return new SpamFeatureSpec(kinds, value, SpamAggregation.SUM, true);
    }

    /** Inputs of the kinds with time strictly before the current event's. */
    public static SpamFeatureSpec countBefore(long kinds) {
        return new SpamFeatureSpec(kinds, SpamValue.ONE, SpamAggregation.COUNT_BEFORE, true);
    }

    /** Distinct values of inputs of the kinds (inputs without the value do not count), current event included. */
    public static SpamFeatureSpec distinctCount(SpamValue value, long kinds) {
        return new SpamFeatureSpec(kinds, value, SpamAggregation.DISTINCT_COUNT, true);
    }

    /** Inputs of the kinds whose value equals the current event's, current event included; not online. */
    public static SpamFeatureSpec sameKeyCount(SpamValue value, long kinds) {
        return new SpamFeatureSpec(kinds, value, SpamAggregation.SAME_KEY_COUNT, false);
    }

    /** Whether inputs of this kind count. */
    public boolean reads(int kind) {
        return (kinds & (1L << kind)) != 0;
    }

    /** The event types read (without the {@code com.gitlab.} prefix), in kind order. */
    public List<String> eventTypes() {
        List<String> types = new ArrayList<>();
        for (int kind = 0; kind < Long.SIZE; kind++) {
            if (reads(kind)) {
                types.add(eventType(kind));
            }
        }
        return types;
    }

    /** {@link #eventTypes} with the filters {@link SpamInputs} applies, for docs. */
    public List<String> eventTypesFiltered() {
        List<String> types = new ArrayList<>();
        for (int kind = 0; kind < Long.SIZE; kind++) {
            if (reads(kind)) {
                types.add(eventType(kind) + filter(kind));
            }
        }
        return types;
    }

    /** The kinds every enabled feature of a configuration reads, as a mask. */
    public static long kindsRead(SpamJobConfig config) {
        long mask = 0;
        for (SpamWindowedFeature feature : SpamWindowedFeature.values()) {
            if (!config.windowsOf(feature).isEmpty()) {
                mask |= feature.spec().kinds();
            }
        }
        return mask;
    }

    private static String eventType(int kind) {
        return switch (kind) {
            case SpamInput.ISSUE_OPENED -> "issue.opened";
            case SpamInput.NOTE_CREATED -> "note.created";
            case SpamInput.MERGE_REQUEST_OPENED -> "merge_request.opened";
            case SpamInput.USER_CREATED -> "user.created";
            case SpamInput.MEMBER_ADDED -> "member.added|updated";
            case SpamInput.MEMBER_REMOVED -> "member.removed";
            case SpamInput.SPAM_VERDICT -> "spam.verdict";
            case SpamInput.ISSUE_CLOSED -> "issue.closed";
            default -> throw new IllegalArgumentException("no spam input kind " + kind);
        };
    }

    private static String filter(int kind) {
        return switch (kind) {
            case SpamInput.NOTE_CREATED -> " (not system notes)";
            case SpamInput.MEMBER_ADDED, SpamInput.MEMBER_REMOVED -> " (project scope)";
            case SpamInput.SPAM_VERDICT -> " (DISALLOW or BLOCK)";
            default -> "";
        };
    }
}
