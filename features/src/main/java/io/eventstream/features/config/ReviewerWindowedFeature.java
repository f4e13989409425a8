package io.eventstream.features.config;

import java.util.List;

/**
 * The windowed reviewer features. The YAML key {@code features.<key>} lists the windows each one is
 * computed over; each (feature, window) pair becomes a column {@code <key>_<window name>} of
 * {@code reviewer_candidates}. Counts are of the candidate's events in the MR's project.
 */
public enum ReviewerWindowedFeature implements WindowedFeature {
    REVIEWS(
            "reviews",
            List.of("30d", "90d", "365d"),
            "Merge requests the candidate reviewed in the project: a review is the candidate's first note or "
                    + "approval on an MR authored by someone else (counted once per MR, at that event)."),
    APPROVALS(
            "approvals",
            List.of("30d", "90d", "365d"),
            "Approvals the candidate gave in the project (each change from not approved to approved counts; a "
                    + "repeated approval event of an MR the candidate already approves does not)."),
    MR_COMMENTS(
            "mr_comments",
            List.of("30d", "90d", "365d"),
            "Notes (comments and diff comments, not system notes) the candidate wrote on merge requests of the project."),
    PATH_COMMITS(
            "path_commits",
            List.of("90d", "365d"),
            "Sum over the MR's changed paths of the candidate's commits touching exactly that path (listed commits "
                    + "of the candidate's pushes to any branch of the project)."),
    PREFIX_COMMITS(
            "prefix_commits",
            List.of("90d", "365d"),
            "Sum over the MR's directory prefixes of the candidate's commits touching a path under that prefix "
                    + "(a commit counts once per prefix)."),
    PREFIX_REVIEWS(
            "prefix_reviews",
            List.of("90d", "365d"),
            "Sum over the MR's directory prefixes of the candidate's reviews of MRs whose changed paths (at review "
                    + "time) had that prefix."),
    REVIEWS_OF_AUTHOR(
            "reviews_of_author",
            List.of("365d"),
            "Reviews by the candidate of MRs authored by this MR's author. Null when the author is unknown."),
    REVIEWS_BY_AUTHOR(
            "reviews_by_author",
            List.of("365d"),
            "Reviews by this MR's author of MRs authored by the candidate (the reverse interaction). Null when the "
                    + "author is unknown.");

    private final Definition definition;

    ReviewerWindowedFeature(String key, List<String> defaultWindows, String description) {
        this.definition = new Definition(key, defaultWindows, description);
    }

    @Override
    public Definition definition() {
        return definition;
    }
}
