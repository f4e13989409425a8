package io.eventstream.generator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who reviews a merge request: the candidates (members with developer access or more, not the author,
 * not blocked, not already reviewing) and the choice among them by expertise in the changed modules,
 * history with the author and free capacity, with noise, or at random. Each pick carries its reason and
 * scores, which {@link MergeRequests} reports as {@link ReviewerAssignmentTruth}.
 */
final class ReviewerChoice {

    static final double RANDOM_REVIEWER = 0.12;

    private final World world;
    private final Rng rng;

    ReviewerChoice(World world) {
        this.world = world;
        this.rng = world.rng;
    }

    /** Members who can review: developer access or more, not the author, not blocked, not a current reviewer. */
    List<SimUser> candidates(SimMergeRequest mergeRequest) {
        List<SimUser> candidates = new ArrayList<>();
        for (Membership membership : mergeRequest.project.members) {
            SimUser user = membership.user;
            if (membership.accessLevel >= Membership.DEVELOPER
                    && user != mergeRequest.author
                    && !user.blocked
                    && !user.isSpammer()
                    && !mergeRequest.reviewers.contains(user)) {
                candidates.add(user);
            }
        }
        return candidates;
    }

    /**
     * Scores each candidate by expertise in the MR's modules, history with the author and free
     * capacity (each normalised to [0, 1] and weighted 2.5 / 1.2 / 0.6), adds Gumbel noise and takes
     * the best; with probability {@link #RANDOM_REVIEWER} a slot goes to a random candidate instead.
     */
    List<ReviewerPick> choose(SimMergeRequest mergeRequest, List<SimUser> candidates, int count) {
        SimProject project = mergeRequest.project;
        boolean[] modules = new boolean[project.tree.moduleCount()];
        for (int module : mergeRequest.branch.paths.values()) {
            modules[module] = true;
        }
        modules[mergeRequest.branch.focusModule] = true;
        // Only the few remembered experts have a score; everyone else has zero.
        Map<Long, Double> expertiseByUser = new HashMap<>();
        for (int m = 0; m < modules.length; m++) {
            if (modules[m]) {
                project.experts[m].addTo(expertiseByUser, world.now());
            }
        }
        Map<Long, Double> historyByUser = new HashMap<>();
        mergeRequest.author.reviewedBy.addTo(historyByUser, world.now());
        int n = candidates.size();
        double[] expertise = new double[n];
        double[] history = new double[n];
        double maxExpertise = 0;
        double maxHistory = 0;
        for (int i = 0; i < n; i++) {
            SimUser candidate = candidates.get(i);
            expertise[i] = expertiseByUser.getOrDefault(candidate.id, 0.0);
            history[i] = historyByUser.getOrDefault(candidate.id, 0.0);
            maxExpertise = Math.max(maxExpertise, expertise[i]);
            maxHistory = Math.max(maxHistory, history[i]);
        }
        boolean[] taken = new boolean[n];
        List<ReviewerPick> picks = new ArrayList<>(count);
        for (int slot = 0; slot < count; slot++) {
            if (rng.chance(RANDOM_REVIEWER)) {
                int chosen = randomUntaken(taken);
                taken[chosen] = true;
                SimUser user = candidates.get(chosen);
                picks.add(new ReviewerPick(
                        user.id, PickReason.RANDOM, expertise[chosen], history[chosen], user.openReviews, Double.NaN));
                continue;
            }
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            double bestE = 0;
            double bestH = 0;
            double bestL = 0;
            for (int i = 0; i < n; i++) {
                if (taken[i]) {
                    continue;
                }
                double e = maxExpertise > 0 ? 2.5 * expertise[i] / maxExpertise : 0;
                double h = maxHistory > 0 ? 1.2 * history[i] / maxHistory : 0;
                double l = 0.6 / (1 + candidates.get(i).openReviews);
                double score = e + h + l + 0.4 * rng.gumbel();
                if (score > bestScore) {
                    bestScore = score;
                    best = i;
                    bestE = e;
                    bestH = h;
                    bestL = l;
                }
            }
            taken[best] = true;
            PickReason reason = bestE >= bestH && bestE >= bestL
                    ? PickReason.EXPERTISE
                    : bestH >= bestL ? PickReason.HISTORY : PickReason.LOAD;
            SimUser user = candidates.get(best);
            picks.add(new ReviewerPick(user.id, reason, expertise[best], history[best], user.openReviews, bestScore));
        }
        return picks;
    }

    private int randomUntaken(boolean[] taken) {
        int free = 0;
        for (boolean t : taken) {
            if (!t) {
                free++;
            }
        }
        int target = rng.nextInt(free);
        for (int i = 0; i < taken.length; i++) {
            if (!taken[i] && target-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unreachable");
    }
}
