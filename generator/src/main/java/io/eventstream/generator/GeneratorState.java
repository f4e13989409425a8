package io.eventstream.generator;

/**
 * How much the generator holds at one moment. Every count is bounded by the configured users,
 * projects and the rate of activity, not by the number of simulated days: tests assert that.
 *
 * @param pendingActions      scheduled future actions (one session per active user, MR steps, delayed labels)
 * @param bufferedEvents      generated events waiting for their emission time (jitter, late events)
 * @param openMergeRequests   merge requests neither merged nor closed
 * @param liveBranches        feature branches being worked on or under review
 * @param trackedIssues       open issues the generator still remembers (capped per project)
 * @param memberships         project memberships (capped per user)
 * @param expertiseEntries    remembered (module, user) expertise scores (capped per module)
 * @param historyEntries      remembered (author, reviewer) history scores (capped per author)
 */
public record GeneratorState(
        int pendingActions,
        int bufferedEvents,
        int openMergeRequests,
        int liveBranches,
        int trackedIssues,
        int memberships,
        int expertiseEntries,
        int historyEntries) {

    /** Sum of all counts: the number of live simulation objects. */
    public long total() {
        return (long) pendingActions
                + bufferedEvents
                + openMergeRequests
                + liveBranches
                + trackedIssues
                + memberships
                + expertiseEntries
                + historyEntries;
    }
}
