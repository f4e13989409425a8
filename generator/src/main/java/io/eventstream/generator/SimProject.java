package io.eventstream.generator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** A simulated project: its members, repository tree, open issues and merge requests, expertise. */
final class SimProject {
    /** Older open issues are forgotten (still open in GitLab terms, but nobody visits them any more). */
    static final int TRACKED_OPEN_ISSUES = 40;
    /** Recent issues, merge requests and notes that may receive emoji awards. */
    static final int RECENT_AWARDABLES = 24;

    static final long EXPERTISE_HALF_LIFE_MILLIS = 45L * 24 * 3600 * 1000;
    static final int EXPERTS_PER_MODULE = 10;

    final int index;
    final long id;
    final String pathWithNamespace;
    final String visibility;
    final ProjectTree tree;
    /** Approvals needed before a merge request is fully approved. */
    final int requiredApprovals;

    final List<Membership> members = new ArrayList<>();
    final ArrayDeque<SimIssue> openIssues = new ArrayDeque<>();
    final List<SimMergeRequest> openMergeRequests = new ArrayList<>();
    /** Ring of recent awardables: type and id. */
    final String[] recentAwardableTypes = new String[RECENT_AWARDABLES];

    final long[] recentAwardableIds = new long[RECENT_AWARDABLES];
    int recentAwardables;
    /** Per module: who touched or reviewed it recently. */
    final DecayingTopK[] experts;

    boolean created;
    /** Head of the default branch. */
    String mainHead;

    long nextIssueIid = 1;
    long nextMergeRequestIid = 1;

    SimProject(
            int index, long id, String pathWithNamespace, String visibility, ProjectTree tree, int requiredApprovals) {
        this.index = index;
        this.id = id;
        this.pathWithNamespace = pathWithNamespace;
        this.visibility = visibility;
        this.tree = tree;
        this.requiredApprovals = requiredApprovals;
        this.experts = new DecayingTopK[tree.moduleCount()];
        for (int m = 0; m < experts.length; m++) {
            experts[m] = new DecayingTopK(EXPERTS_PER_MODULE, EXPERTISE_HALF_LIFE_MILLIS);
        }
    }

    boolean isPublic() {
        return "public".equals(visibility);
    }

    void trackIssue(SimIssue issue) {
        if (openIssues.size() >= TRACKED_OPEN_ISSUES) {
            openIssues.pollFirst();
        }
        openIssues.addLast(issue);
    }

    void rememberAwardable(String type, long id) {
        int slot = recentAwardables++ % RECENT_AWARDABLES;
        recentAwardableTypes[slot] = type;
        recentAwardableIds[slot] = id;
    }

    int awardableCount() {
        return Math.min(recentAwardables, RECENT_AWARDABLES);
    }

    int expertiseEntries() {
        int entries = 0;
        for (DecayingTopK module : experts) {
            entries += module.size();
        }
        return entries;
    }
}
