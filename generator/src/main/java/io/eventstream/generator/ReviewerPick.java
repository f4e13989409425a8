package io.eventstream.generator;

/**
 * Ground truth: one reviewer chosen for a merge request and the inputs of the choice.
 *
 * @param userId        the reviewer
 * @param reason        the dominant reason, or {@link PickReason#RANDOM}
 * @param expertise     decayed count of the candidate's touches of the MR's directories (before normalisation)
 * @param history       decayed count of the candidate's past reviews of this author
 * @param openReviews   the candidate's open reviews when chosen
 * @param score         the score the choice maximised (noise included); NaN for random picks
 */
public record ReviewerPick(
        long userId, PickReason reason, double expertise, double history, int openReviews, double score) {}
