package io.eventstream.generator;

import java.time.Instant;
import java.util.List;

/**
 * Ground truth: one {@code merge_request.reviewers_changed} event and why its new reviewers were chosen.
 *
 * @param eventId              id of the {@code reviewers_changed} event
 * @param time                 its event time
 * @param projectId            project of the merge request
 * @param mergeRequestId       global id
 * @param mergeRequestIid      per-project id
 * @param authorId             the MR author (never a reviewer)
 * @param previousReviewerIds  reviewers before the change
 * @param reviewerIds          reviewers after the change
 * @param picks                the reviewers added by this change, with reasons
 */
public record ReviewerAssignmentTruth(
        String eventId,
        Instant time,
        long projectId,
        long mergeRequestId,
        long mergeRequestIid,
        long authorId,
        List<Long> previousReviewerIds,
        List<Long> reviewerIds,
        List<ReviewerPick> picks) {}
