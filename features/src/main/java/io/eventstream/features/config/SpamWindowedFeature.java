package io.eventstream.features.config;

import java.util.List;

/**
 * The windowed spam features. The YAML key {@code features.<key>} lists the windows each one is
 * computed over; each (feature, window) pair becomes a column {@code <key>_<window name>}.
 */
public enum SpamWindowedFeature implements WindowedFeature {
    NOTES("notes", List.of("1m", "10m", "1h", "24h"),
            "Notes (comments) the user created in the window, the current event included when it is a note."),
    ISSUES("issues", List.of("1h", "24h"),
            "Issues the user opened in the window, the current event included when it is an issue."),
    MERGE_REQUESTS("merge_requests", List.of("24h"),
            "Merge requests the user opened in the window, the current event included when it is a merge request."),
    DISTINCT_PROJECTS("distinct_projects", List.of("1h", "24h"),
            "Distinct projects of the user's content events in the window, the current event included "
                    + "(events without a project do not count)."),
    LINKS("links", List.of("1h"),
            "Total http(s) links (link_count) in the user's content events in the window, the current event included."),
    CONTENT_EVENTS("content_events", List.of("7d"),
            "Content events (issues opened, notes created, merge requests opened) of the user in the window, "
                    + "the current event included."),
    TEXT_REPEAT_COUNT("text_repeat_count", List.of("24h"),
            "Content events of the user in the window whose normalized text (title and body lowercased, "
                    + "whitespace collapsed) has the same 64-bit hash as the current event's, the current event "
                    + "included: 1 means no repeat. Only the hash is kept, never the text."),
    PRIOR_SPAM_VERDICTS("prior_spam_verdicts", List.of("30d"),
            "spam.verdict events with verdict DISALLOW or BLOCK about the user's content with time strictly "
                    + "before the current event's time (a verdict at the same millisecond does not count), "
                    + "inside the window.");

    private final String key;
    private final List<String> defaultWindows;
    private final String description;

    SpamWindowedFeature(String key, List<String> defaultWindows, String description) {
        this.key = key;
        this.defaultWindows = defaultWindows;
        this.description = description;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public List<String> defaultWindows() {
        return defaultWindows;
    }

    @Override
    public String description() {
        return description;
    }

}
