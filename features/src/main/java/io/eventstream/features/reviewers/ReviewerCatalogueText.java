package io.eventstream.features.reviewers;

/**
 * The written rules of the reviewer features, shared by {@code _feature_set.json} (so a rule change
 * changes the fingerprint) and the generated catalogue.
 */
final class ReviewerCatalogueText {
    static final String PATH_JOIN_RULE = "An MR's changed paths are the union of (a) the paths of its source branch "
            + "(pushes to that branch in the MR's project, joined by (project, branch) in event time) when the MR's "
            + "state is created, i.e. every path pushed since the branch was last created, a deletion forgetting them; "
            + "(b) the paths of every later push to that branch while the MR is open, including pushes after a "
            + "deletion and re-creation; (c) the changed_paths list of any of the MR's own events when a producer "
            + "supplies one. A push's paths are the added, modified and removed paths of the commits GitLab lists "
            + "(at most 20; total_commits_count above the listed count sets paths_truncated). MRs from forks "
            + "(source project not the target project) get (c) only. At most paths.max_per_branch paths are kept per "
            + "branch and per MR (in apply order, a push's paths sorted); reaching it sets paths_truncated. A branch "
            + "without pushes for state.ttl is forgotten.";
    static final String PREFIX_RULE = "Directory prefixes only: a path's first 1..paths.prefix_depth directories, "
            + "without a trailing slash (src/main/App.java gives src and src/main; README.md gives none).";
    static final String CANDIDATE_RULE = "At each emission the candidates are the project members plus the users "
            + "with activity (MR notes, approvals, pushes) in the lookback window, never the MR's author; ordered by "
            + "lookback_activity descending, then last activity time descending (none last), then user id ascending; "
            + "the first candidates.max are emitted with candidate_rank 1..K.";
    static final String STATE_RULE = "Decided by event times alone, so deterministic: a project's whole state is "
            + "forgotten when an event comes more than state.ttl after the project's previous event; a user's record "
            + "(first seen, last activity) when the user is not a member and had no event for more than state.ttl; a "
            + "merge request's state more than merge_requests.grace after it was merged or closed, or after state.ttl "
            + "without an event of it (MR events and notes); a reopened MR within the grace keeps its state.";

    private ReviewerCatalogueText() {}
}
