package io.eventstream.features.config;

import static io.eventstream.features.spam.SpamFeatureSpec.CONTENT;
import static io.eventstream.features.spam.SpamFeatureSpec.count;
import static io.eventstream.features.spam.SpamFeatureSpec.countBefore;
import static io.eventstream.features.spam.SpamFeatureSpec.distinctCount;
import static io.eventstream.features.spam.SpamFeatureSpec.kinds;
import static io.eventstream.features.spam.SpamFeatureSpec.sameKeyCount;
import static io.eventstream.features.spam.SpamFeatureSpec.sum;

import io.eventstream.features.spam.SpamFeatureSpec;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.features.spam.SpamValue;
import java.util.List;

/**
 * The windowed spam features, each declared once: key, default windows, what it computes
 * ({@link SpamFeatureSpec}: inputs, value, aggregation, online) and description. The YAML key
 * {@code features.<key>} lists the windows each one is computed over; each (feature, window) pair
 * becomes a column {@code <key>_<window name>}. A feature without default windows is off until its
 * YAML key lists some. The engine, schemas, docs and the tests' reference follow from these lines;
 * the order is the column order (new features go last: the tile layout of checkpointed states
 * follows it).
 */
public enum SpamWindowedFeature implements WindowedFeature {
    NOTES(
            "notes",
            List.of("1m", "10m", "1h", "24h"),
            count(kinds(SpamInput.NOTE_CREATED)),
            "Notes (comments) the user created in the window, the current event included when it is a note."),
    ISSUES(
            "issues",
            List.of("1h", "24h"),
            count(kinds(SpamInput.ISSUE_OPENED)),
            "Issues the user opened in the window, the current event included when it is an issue."),
    MERGE_REQUESTS(
            "merge_requests",
            List.of("24h"),
            count(kinds(SpamInput.MERGE_REQUEST_OPENED)),
            "Merge requests the user opened in the window, the current event included when it is a merge request."),
    DISTINCT_PROJECTS(
            "distinct_projects",
            List.of("1h", "24h"),
            distinctCount(SpamValue.PROJECT_ID, CONTENT),
            "Distinct projects of the user's content events in the window, the current event included "
                    + "(events without a project do not count)."),
    LINKS(
            "links",
            List.of("1h"),
            sum(SpamValue.LINK_COUNT, CONTENT),
            "Total http(s) links (link_count) in the user's content events in the window, the current event included."),
    CONTENT_EVENTS(
            "content_events",
            List.of("7d"),
            count(CONTENT),
            "Content events (issues opened, notes created, merge requests opened) of the user in the window, "
                    + "the current event included."),
    TEXT_REPEAT_COUNT(
            "text_repeat_count",
            List.of("24h"),
            sameKeyCount(SpamValue.TEXT_HASH, CONTENT),
            "Content events of the user in the window whose normalized text (title and body lowercased, "
                    + "whitespace collapsed) has the same 64-bit hash as the current event's, the current event "
                    + "included: 1 means no repeat. Only the hash is kept, never the text."),
    PRIOR_SPAM_VERDICTS(
            "prior_spam_verdicts",
            List.of("30d"),
            countBefore(kinds(SpamInput.SPAM_VERDICT)),
            "spam.verdict events with verdict DISALLOW or BLOCK about the user's content with time strictly "
                    + "before the current event's time (a verdict at the same millisecond does not count), "
                    + "inside the window."),
    MENTIONS(
            "mentions",
            List.of(),
            sum(SpamValue.MENTION_COUNT, CONTENT),
            "Total @name mentions (mention_count) in the user's content events in the window, the current event "
                    + "included."),
    ISSUES_CLOSED(
            "issues_closed",
            List.of(),
            count(kinds(SpamInput.ISSUE_CLOSED)),
            "issue.closed events of issues the user authored (the closer when the author is unknown) in the "
                    + "window, up to and including the current event.");

    private final Definition definition;
    private final SpamFeatureSpec spec;

    SpamWindowedFeature(String key, List<String> defaultWindows, SpamFeatureSpec spec, String description) {
        this.definition = new Definition(key, defaultWindows, description);
        this.spec = spec;
    }

    /** What the feature computes: inputs, value, aggregation, online. */
    public SpamFeatureSpec spec() {
        return spec;
    }

    @Override
    public Definition definition() {
        return definition;
    }
}
