package io.eventstream.features.reviewers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The order of reviewer candidates, as docs/reviewer-features.md ("Candidates") defines it, and the
 * choice of the first {@code candidates.max} in it. The one implementation, used by the job's engine
 * ({@link ReviewerFeatureEngine}) and the online reader ({@link ReviewerOnlineCandidates}); the Python
 * reader ({@code notebooks/eventstream_features/online.py}, {@code candidate_sort_key}) is checked
 * against the same cases ({@code features/src/test/resources/reviewers/candidate-order-cases.json}).
 *
 * <p>A candidate ranks before another when, in this order of precedence:
 * <ol>
 *   <li>its {@code lookback_activity} is greater;</li>
 *   <li>else its last activity time is later, a candidate without activity ({@link #NO_ACTIVITY},
 *       null in the tables) ranking after every time;</li>
 *   <li>else its user id is smaller.</li>
 * </ol>
 * User ids are unique among a project's candidates, so this is a total order: no two candidates tie,
 * and the ranks do not depend on the order in which candidates are offered. Which users are
 * candidates (members or active in the lookback window, never the MR's author) is the caller's rule.
 */
public final class ReviewerCandidateOrder {
    /** Last activity time of a candidate without activity: the smallest long, so "later first" puts it last. */
    public static final long NO_ACTIVITY = Long.MIN_VALUE;

    /**
     * What a candidate is ranked by.
     *
     * @param lastActivityTime  epoch millis, or {@link #NO_ACTIVITY}
     */
    public record Candidate(long userId, long lookbackActivity, long lastActivityTime) {}

    /** Best first. */
    public static final Comparator<Candidate> ORDER =
            (a, b) -> compare(a.userId, a.lookbackActivity, a.lastActivityTime, b);

    private ReviewerCandidateOrder() {}

    /** The candidate (user, activity, last) compared with {@code other}: negative when it ranks before it. */
    static int compare(long userId, long lookbackActivity, long lastActivityTime, Candidate other) {
        if (lookbackActivity != other.lookbackActivity) {
            return Long.compare(other.lookbackActivity, lookbackActivity);
        }
        if (lastActivityTime != other.lastActivityTime) {
            return Long.compare(other.lastActivityTime, lastActivityTime);
        }
        return Long.compare(userId, other.userId);
    }

    /**
     * The best {@code max} of the candidates offered, kept in a heap whose head is the worst of them:
     * O(n log max) for n candidates, and no allocation for a candidate that ranks below a full heap's
     * worst (most users of a busy project). Not thread-safe: one per ranking.
     */
    public static final class Best {
        private final int max;
        private final PriorityQueue<Candidate> kept;

        public Best(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("max is negative: " + max);
            }
            this.max = max;
            this.kept = new PriorityQueue<>(max + 1, ORDER.reversed());
        }

        /** Offers a candidate; each user at most once per ranking. */
        public void offer(long userId, long lookbackActivity, long lastActivityTime) {
            if (kept.size() == max
                    && (max == 0 || compare(userId, lookbackActivity, lastActivityTime, kept.peek()) >= 0)) {
                return;
            }
            kept.add(new Candidate(userId, lookbackActivity, lastActivityTime));
            if (kept.size() > max) {
                kept.poll();
            }
        }

        /** The kept candidates, best first: index i has rank i + 1. */
        public List<Candidate> ranked() {
            List<Candidate> ranked = new ArrayList<>(kept);
            ranked.sort(ORDER);
            return ranked;
        }
    }
}
