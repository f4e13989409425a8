package io.eventstream.features.reviewers;

import java.util.Map;

/**
 * One candidate reviewer for a new merge request, as read from the online tables by
 * {@link ReviewerOnlineCandidates}.
 *
 * @param candidateId  the candidate's user id
 * @param rank         1-based position in the job's candidate order
 * @param values       every output column by name, in the order of {@link ReviewerOnlineCandidates#columns()}
 *                     (candidate id and rank included), unmodifiable; values of the columns' Java classes
 */
public record CandidateFeatures(long candidateId, int rank, Map<String, Object> values) {}
