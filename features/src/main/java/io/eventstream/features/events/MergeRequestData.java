package io.eventstream.features.events;

import static io.eventstream.features.events.Personal.Kind.TEXT;

import java.util.List;

/**
 * {@code com.gitlab.merge_request.*}: lifecycle, approvals and reviewer changes.
 *
 * @param projectId            target project
 * @param mergeRequestId       global id
 * @param iid                  per-project id
 * @param authorId             who opened it
 * @param actorId              who did this action (hook's {@code user.id}); null when missing
 * @param title                text
 * @param description          text; null when empty
 * @param state                {@code opened}, {@code closed}, {@code merged}, {@code locked}
 * @param sourceProjectId      project of the source branch
 * @param sourceBranch         source branch name
 * @param targetBranch         target branch name
 * @param draft                draft / work in progress
 * @param reviewerIds          current reviewers
 * @param previousReviewerIds  reviewers before this event when the payload's {@code changes.reviewers} says, else null
 * @param assigneeIds          current assignees
 * @param changedPaths         files the MR changes when a producer supplies them, else null
 */
public record MergeRequestData(
        long projectId,
        long mergeRequestId,
        long iid,
        Long authorId,
        Long actorId,
        @Personal(TEXT) String title,
        @Personal(TEXT) String description,
        String state,
        Long sourceProjectId,
        String sourceBranch,
        String targetBranch,
        boolean draft,
        List<Long> reviewerIds,
        List<Long> previousReviewerIds,
        List<Long> assigneeIds,
        List<String> changedPaths)
        implements EventData {}
