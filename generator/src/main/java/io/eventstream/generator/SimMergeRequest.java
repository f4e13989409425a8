package io.eventstream.generator;

import java.util.ArrayList;
import java.util.List;

/** An open merge request and its review state. */
final class SimMergeRequest {
    final long id;
    final long iid;
    final SimProject project;
    final SimUser author;
    final Branch branch;
    final String title;
    final String description;
    final boolean draft;
    final List<SimUser> reviewers = new ArrayList<>(2);
    final List<SimUser> approvedBy = new ArrayList<>(2);
    /** Review rounds per reviewer, parallel to {@link #reviewers}. */
    final List<Integer> rounds = new ArrayList<>(2);

    boolean fullyApproved;
    /** Will be closed without merging; reviewers comment but do not approve. */
    boolean abandoned;

    boolean open = true;

    SimMergeRequest(
            long id,
            long iid,
            SimProject project,
            SimUser author,
            Branch branch,
            String title,
            String description,
            boolean draft) {
        this.id = id;
        this.iid = iid;
        this.project = project;
        this.author = author;
        this.branch = branch;
        this.title = title;
        this.description = description;
        this.draft = draft;
    }

    List<Long> reviewerIds() {
        List<Long> ids = new ArrayList<>(reviewers.size());
        for (SimUser reviewer : reviewers) {
            ids.add(reviewer.id);
        }
        return ids;
    }

    boolean involves(SimUser user) {
        return author == user || reviewers.contains(user);
    }
}
