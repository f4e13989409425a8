package io.eventstream.generator;

import static io.eventstream.generator.World.DAY;
import static io.eventstream.generator.World.HOUR;
import static io.eventstream.generator.World.MINUTE;
import static io.eventstream.generator.World.SECOND;

import io.eventstream.features.events.EventType;
import io.eventstream.features.events.MergeRequestData;
import java.time.Instant;
import java.util.List;

/**
 * Merge requests and their reviews: a ready branch's merge request is opened, reviewers are chosen
 * (expertise in the changed modules, history with the author, load, some at random: the
 * {@link ReviewerAssignmentTruth} records why), each reviewer comments in rounds, the author answers and
 * pushes, reviewers approve or decline (and are replaced), and the request is merged or abandoned and closed.
 */
final class MergeRequests {

    static final double REVIEWER_DECLINES = 0.03;
    static final double MERGE_REQUEST_ABANDONED = 0.07;

    private final World world;
    private final Rng rng;
    private final TextFactory text;
    private final Content content;
    private final Pushes pushes;
    private final Moderation moderation;
    private final ReviewerChoice reviewerChoice;
    private long mergeRequestIds;

    MergeRequests(World world, Content content, Pushes pushes, Moderation moderation) {
        this.world = world;
        this.rng = world.rng;
        this.text = world.text;
        this.content = content;
        this.pushes = pushes;
        this.moderation = moderation;
        this.reviewerChoice = new ReviewerChoice(world);
    }

    /** The branch's author opens its merge request a few minutes from now. */
    void openSoon(Branch branch) {
        world.schedule(world.now() + rng.betweenMillis(2 * MINUTE, 30 * MINUTE), () -> openMergeRequest(branch));
    }

    private void openMergeRequest(Branch branch) {
        SimUser author = branch.author;
        if (branch.mergeRequest != null || author.blocked || author.membershipOf(branch.project) == null) {
            return;
        }
        SimProject project = branch.project;
        SimIssue closes = !project.openIssues.isEmpty() && rng.chance(0.3) ? world.randomOpenIssue(project) : null;
        String title = text.mergeRequestTitle(project, branch.focusModule);
        SimMergeRequest mergeRequest = new SimMergeRequest(
                ++mergeRequestIds,
                project.nextMergeRequestIid++,
                project,
                author,
                branch,
                title,
                text.mergeRequestDescription(project, closes),
                title.startsWith("Draft:"));
        branch.mergeRequest = mergeRequest;
        if (author.workingBranch == branch) {
            author.workingBranch = null;
        }
        project.openMergeRequests.add(mergeRequest);
        world.openMergeRequests++;
        String eventId = emitMergeRequest(EventType.MERGE_REQUEST_OPENED, mergeRequest, author, world.now(), null);
        project.rememberAwardable("MergeRequest", mergeRequest.id);
        moderation.afterContent(
                author, world.now(), eventId, "MergeRequest", mergeRequest.id, mergeRequestSubject(mergeRequest));
        world.schedule(world.now() + rng.betweenMillis(MINUTE, 20 * MINUTE), () -> assignReviewers(mergeRequest));
        if (rng.chance(MERGE_REQUEST_ABANDONED)) {
            mergeRequest.abandoned = true;
            world.schedule(world.now() + rng.betweenMillis(HOUR, 3 * DAY), () -> closeMergeRequest(mergeRequest));
        }
    }

    private String emitMergeRequest(
            EventType type, SimMergeRequest mergeRequest, SimUser actor, long time, List<Long> previousReviewers) {
        String state = switch (type) {
            case MERGE_REQUEST_MERGED -> "merged";
            case MERGE_REQUEST_CLOSED -> "closed";
            default -> "opened";
        };
        SimProject project = mergeRequest.project;
        return world.emit(
                type,
                time,
                mergeRequestSubject(mergeRequest),
                actor.id,
                new MergeRequestData(
                        project.id,
                        mergeRequest.id,
                        mergeRequest.iid,
                        mergeRequest.author.id,
                        actor.id,
                        mergeRequest.title,
                        mergeRequest.description,
                        state,
                        project.id,
                        mergeRequest.branch.name,
                        Pushes.DEFAULT_BRANCH,
                        mergeRequest.draft,
                        mergeRequest.reviewerIds(),
                        previousReviewers,
                        List.of(mergeRequest.author.id),
                        null));
    }

    private void assignReviewers(SimMergeRequest mergeRequest) {
        if (!mergeRequest.open) {
            return;
        }
        List<SimUser> candidates = reviewerChoice.candidates(mergeRequest);
        if (candidates.isEmpty()) {
            // Nobody can review: the author merges alone, as small projects do.
            world.schedule(world.now() + rng.betweenMillis(HOUR, DAY), () -> merge(mergeRequest, mergeRequest.author));
            return;
        }
        int wanted = mergeRequest.project.requiredApprovals == 2 || rng.chance(0.35) ? 2 : 1;
        List<ReviewerPick> picks = reviewerChoice.choose(mergeRequest, candidates, Math.min(wanted, candidates.size()));
        List<Long> previous = mergeRequest.reviewerIds();
        for (ReviewerPick pick : picks) {
            SimUser reviewer = world.userById(pick.userId());
            mergeRequest.reviewers.add(reviewer);
            mergeRequest.rounds.add(0);
            reviewer.openReviews++;
            world.schedule(world.now() + reviewDelay(reviewer), () -> review(mergeRequest, reviewer));
        }
        announceReviewers(mergeRequest, previous, picks);
    }

    private void announceReviewers(SimMergeRequest mergeRequest, List<Long> previous, List<ReviewerPick> picks) {
        String eventId = emitMergeRequest(
                EventType.MERGE_REQUEST_REVIEWERS_CHANGED, mergeRequest, mergeRequest.author, world.now(), previous);
        world.truth.reviewerAssignment(new ReviewerAssignmentTruth(
                eventId,
                Instant.ofEpochMilli(world.now()),
                mergeRequest.project.id,
                mergeRequest.id,
                mergeRequest.iid,
                mergeRequest.author.id,
                previous,
                mergeRequest.reviewerIds(),
                picks));
    }

    /** Busy reviewers answer later. */
    private long reviewDelay(SimUser reviewer) {
        double hours = rng.logNormal(3.0, 0.9) * (1 + 0.35 * reviewer.openReviews);
        return 5 * MINUTE + (long) (Math.min(hours, 96.0) * HOUR);
    }

    private void review(SimMergeRequest mergeRequest, SimUser reviewer) {
        int index = mergeRequest.reviewers.indexOf(reviewer);
        if (!mergeRequest.open || index < 0 || mergeRequest.approvedBy.contains(reviewer)) {
            return;
        }
        int round = mergeRequest.rounds.get(index);
        if (round == 0 && rng.chance(REVIEWER_DECLINES) && reassign(mergeRequest, reviewer, index)) {
            return;
        }
        int comments = round == 0
                ? weighted(new double[] {0.3, 0.25, 0.2, 0.15, 0.1})
                : round == 1 ? (rng.chance(0.55) ? 0 : rng.between(1, 2)) : 0;
        SimProject project = mergeRequest.project;
        long time = world.now();
        Branch branch = mergeRequest.branch;
        for (int c = 0; c < comments; c++) {
            time += rng.betweenMillis(20 * SECOND, 4 * MINUTE);
            if (branch.paths.isEmpty()) {
                content.postMergeRequestNote(
                        reviewer, mergeRequest, text.mergeRequestComment(project, null), null, time);
            } else {
                String path = content.randomPath(branch);
                content.postMergeRequestNote(
                        reviewer,
                        mergeRequest,
                        text.reviewComment(project, path),
                        content.diffPosition(branch, path),
                        time);
            }
        }
        if (rng.chance(0.15)) {
            time += rng.betweenMillis(20 * SECOND, 2 * MINUTE);
            content.postMergeRequestNote(reviewer, mergeRequest, text.mergeRequestComment(project, null), null, time);
        }
        creditReview(mergeRequest, reviewer, 0.5);
        mergeRequest.rounds.set(index, round + 1);
        if (comments > 0) {
            world.schedule(
                    time + (long) (rng.logNormal(2.0, 0.8) * HOUR), () -> authorResponds(mergeRequest, reviewer));
        } else {
            world.schedule(time + rng.betweenMillis(MINUTE, 10 * MINUTE), () -> approve(mergeRequest, reviewer));
        }
    }

    /** Reviewing counts as experience with the modules and with the author. */
    private void creditReview(SimMergeRequest mergeRequest, SimUser reviewer, double amount) {
        boolean[] seen = new boolean[mergeRequest.project.tree.moduleCount()];
        for (int module : mergeRequest.branch.paths.values()) {
            if (!seen[module]) {
                seen[module] = true;
                mergeRequest.project.experts[module].add(reviewer.id, 0.3 * amount, world.now());
            }
        }
        mergeRequest.author.reviewedBy.add(reviewer.id, amount, world.now());
    }

    private boolean reassign(SimMergeRequest mergeRequest, SimUser leaving, int index) {
        List<SimUser> candidates = reviewerChoice.candidates(mergeRequest);
        if (candidates.isEmpty()) {
            return false;
        }
        List<ReviewerPick> picks = reviewerChoice.choose(mergeRequest, candidates, 1);
        SimUser replacement = world.userById(picks.get(0).userId());
        List<Long> previous = mergeRequest.reviewerIds();
        mergeRequest.reviewers.set(index, replacement);
        mergeRequest.rounds.set(index, 0);
        leaving.openReviews--;
        replacement.openReviews++;
        announceReviewers(mergeRequest, previous, picks);
        world.schedule(world.now() + reviewDelay(replacement), () -> review(mergeRequest, replacement));
        return true;
    }

    private void authorResponds(SimMergeRequest mergeRequest, SimUser reviewer) {
        if (!mergeRequest.open) {
            return;
        }
        SimUser author = mergeRequest.author;
        int replies = rng.between(1, 2);
        long time = world.now();
        for (int r = 0; r < replies; r++) {
            content.postMergeRequestNote(
                    author, mergeRequest, text.reply(mergeRequest.branch.headSha.substring(0, 8)), null, time);
            time += rng.betweenMillis(20 * SECOND, 3 * MINUTE);
        }
        if (author.membershipOf(mergeRequest.project) != null) {
            long pushTime = time;
            world.schedule(pushTime, () -> {
                if (mergeRequest.open) {
                    pushes.push(author, mergeRequest.branch, false);
                    emitMergeRequest(
                            EventType.MERGE_REQUEST_UPDATED, mergeRequest, author, world.now() + 2 * SECOND, null);
                }
            });
        }
        world.schedule(time + reviewDelay(reviewer) / 2, () -> review(mergeRequest, reviewer));
    }

    private void approve(SimMergeRequest mergeRequest, SimUser reviewer) {
        // An abandoned MR is reviewed but never approved: it waits for its author to close it.
        if (!mergeRequest.open
                || mergeRequest.abandoned
                || !mergeRequest.reviewers.contains(reviewer)
                || mergeRequest.approvedBy.contains(reviewer)) {
            return;
        }
        if (rng.chance(0.3)) {
            content.postMergeRequestNote(reviewer, mergeRequest, text.approvalComment(), null, world.now());
        }
        mergeRequest.approvedBy.add(reviewer);
        reviewer.openReviews--;
        creditReview(mergeRequest, reviewer, 1.0);
        emitMergeRequest(EventType.MERGE_REQUEST_APPROVAL, mergeRequest, reviewer, world.now() + SECOND, null);
        int required = Math.min(mergeRequest.project.requiredApprovals, mergeRequest.reviewers.size());
        if (!mergeRequest.fullyApproved && mergeRequest.approvedBy.size() >= required) {
            mergeRequest.fullyApproved = true;
            emitMergeRequest(EventType.MERGE_REQUEST_APPROVED, mergeRequest, reviewer, world.now() + 2 * SECOND, null);
            SimUser merger = rng.chance(0.7) ? mergeRequest.author : reviewer;
            world.schedule(world.now() + rng.betweenMillis(2 * MINUTE, 4 * HOUR), () -> merge(mergeRequest, merger));
        }
    }

    private void merge(SimMergeRequest mergeRequest, SimUser merger) {
        if (!mergeRequest.open) {
            return;
        }
        finish(mergeRequest);
        mergeRequest.project.mainHead = world.sha();
        emitMergeRequest(EventType.MERGE_REQUEST_MERGED, mergeRequest, merger, world.now(), null);
        if (rng.chance(0.5)) {
            world.schedule(
                    world.now() + rng.betweenMillis(MINUTE, 10 * MINUTE),
                    () -> pushes.deleteBranch(mergeRequest.branch));
        }
    }

    private void closeMergeRequest(SimMergeRequest mergeRequest) {
        if (!mergeRequest.open) {
            return;
        }
        finish(mergeRequest);
        emitMergeRequest(EventType.MERGE_REQUEST_CLOSED, mergeRequest, mergeRequest.author, world.now(), null);
    }

    private void finish(SimMergeRequest mergeRequest) {
        mergeRequest.open = false;
        mergeRequest.project.openMergeRequests.remove(mergeRequest);
        world.openMergeRequests--;
        world.liveBranches--;
        for (SimUser reviewer : mergeRequest.reviewers) {
            if (!mergeRequest.approvedBy.contains(reviewer)) {
                reviewer.openReviews--;
            }
        }
    }

    private int weighted(double[] weights) {
        double draw = rng.uniform();
        for (int i = 0; i < weights.length; i++) {
            draw -= weights[i];
            if (draw < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static String mergeRequestSubject(SimMergeRequest mergeRequest) {
        return "projects/" + mergeRequest.project.id + "/merge_requests/" + mergeRequest.iid;
    }
}
