package io.eventstream.features.reviewers;

import static io.eventstream.features.reviewers.ReviewerTestEvents.T0;
import static io.eventstream.features.reviewers.ReviewerTestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.events.CommitData;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.MemberData;
import io.eventstream.features.events.MergeRequestData;
import io.eventstream.features.events.NoteData;
import io.eventstream.features.events.PushData;
import io.eventstream.features.events.UserData;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewerInputsTest {

    @Test
    void mergeRequestEventsKeepIdsBranchReviewersAndPathsOnly() {
        MergeRequestData data = new MergeRequestData(
                7,
                1005,
                5,
                11L,
                12L,
                "secret title",
                "secret body",
                "opened",
                7L,
                "feature",
                "main",
                false,
                Arrays.asList(3L, null, 2L, 3L),
                List.of(2L),
                List.of(),
                List.of("b/B", "a/A", "b/B", ""));
        ReviewerInput opened = ReviewerInputs.from(event("e1", T0, EventType.MERGE_REQUEST_OPENED, data));
        assertThat(opened.kind).isEqualTo(ReviewerInput.MR_OPENED);
        assertThat(opened.projectId).isEqualTo(7);
        assertThat(opened.userId).as("the author opens").isEqualTo(11L);
        assertThat(opened.mrIid).isEqualTo(5);
        assertThat(opened.mrId).isEqualTo(1005);
        assertThat(opened.mrAuthorId).isEqualTo(11L);
        assertThat(opened.sourceBranch).isEqualTo("feature");
        assertThat(opened.sourceInProject).isTrue();
        assertThat(opened.reviewerIds).containsExactly(2, 3);
        assertThat(opened.previousReviewerIds).containsExactly(2);
        assertThat(opened.changedPaths).containsExactly("a/A", "b/B");
        assertThat(opened.toString()).doesNotContain("secret");

        ReviewerInput approval = ReviewerInputs.from(event("e2", T0, EventType.MERGE_REQUEST_APPROVED, data));
        assertThat(approval.kind).isEqualTo(ReviewerInput.MR_APPROVED);
        assertThat(approval.userId).as("the approver is the actor").isEqualTo(12L);
        assertThat(ReviewerInputs.from(event("e3", T0, EventType.MERGE_REQUEST_APPROVAL, data)).kind)
                .isEqualTo(ReviewerInput.MR_APPROVED);
        assertThat(ReviewerInputs.from(event("e4", T0, EventType.MERGE_REQUEST_UNAPPROVAL, data)).kind)
                .isEqualTo(ReviewerInput.MR_UNAPPROVED);
        assertThat(ReviewerInputs.from(event("e5", T0, EventType.MERGE_REQUEST_REOPENED, data)).kind)
                .isEqualTo(ReviewerInput.MR_REOPENED);

        MergeRequestData fork = new MergeRequestData(
                7, 1005, 5, 11L, 12L, "t", null, "opened", 8L, "feature", "main", false, null, null, List.of(), null);
        ReviewerInput fromFork = ReviewerInputs.from(event("e6", T0, EventType.MERGE_REQUEST_UPDATED, fork));
        assertThat(fromFork.sourceInProject).isFalse();
        assertThat(fromFork.reviewerIds).isNull();
        assertThat(fromFork.changedPaths).isNull();
    }

    @Test
    void pushesListEachCommitsDistinctSortedPathsAndTheTotal() {
        PushData push = new PushData(
                7,
                4L,
                "refs/heads/f",
                "f",
                "a",
                "b",
                true,
                false,
                25,
                Arrays.asList(
                        new CommitData("1", T0, List.of("z/Z"), List.of("a/A", "z/Z"), List.of()),
                        null,
                        new CommitData("3", T0, null, null, List.of("b/B"))));
        ReviewerInput input = ReviewerInputs.from(event("p", T0, EventType.PUSH, push));
        assertThat(input.kind).isEqualTo(ReviewerInput.PUSH);
        assertThat(input.userId).isEqualTo(4L);
        assertThat(input.branch).isEqualTo("f");
        assertThat(input.branchCreated).isTrue();
        assertThat(input.commitPathCounts).containsExactly(2, 0, 1);
        assertThat(input.commitPaths).containsExactly("a/A", "z/Z", "b/B");
        assertThat(input.totalCommits).isEqualTo(25);
        assertThat(input.commitsTruncated()).isTrue();
        assertThat(ReviewerInputs.from(event("t", T0, EventType.TAG_PUSH, push)))
                .as("tag pushes")
                .isNull();
    }

    @Test
    void notesOnMergeRequestsAndProjectMembershipsOnly() {
        NoteData onMr = new NoteData(7L, 1, 9, NoteData.MERGE_REQUEST, 1005L, 5L, null, "body", false, false, null);
        ReviewerInput note = ReviewerInputs.from(event("n", T0, EventType.NOTE_CREATED, onMr));
        assertThat(note.kind).isEqualTo(ReviewerInput.MR_NOTE);
        assertThat(note.userId).isEqualTo(9L);
        assertThat(note.mrIid).isEqualTo(5);
        assertThat(ReviewerInputs.from(event(
                        "s",
                        T0,
                        EventType.NOTE_CREATED,
                        new NoteData(7L, 1, 9, NoteData.MERGE_REQUEST, 1005L, 5L, null, "b", true, false, null))))
                .as("system")
                .isNull();
        assertThat(ReviewerInputs.from(event(
                        "i",
                        T0,
                        EventType.NOTE_CREATED,
                        new NoteData(7L, 1, 9, NoteData.ISSUE, 1L, 5L, null, "b", false, false, null))))
                .as("issue")
                .isNull();
        assertThat(ReviewerInputs.from(event("u", T0, EventType.NOTE_UPDATED, onMr)))
                .as("edits")
                .isNull();

        ReviewerInput member = ReviewerInputs.from(
                event("m", T0, EventType.MEMBER_UPDATED, new MemberData(9, MemberData.PROJECT, 7L, null, 40, null)));
        assertThat(member.kind).isEqualTo(ReviewerInput.MEMBER_ADDED);
        assertThat(member.accessLevel).isEqualTo(40);
        assertThat(ReviewerInputs.from(event(
                                "r",
                                T0,
                                EventType.MEMBER_REMOVED,
                                new MemberData(9, MemberData.PROJECT, 7L, null, null, null)))
                        .kind)
                .isEqualTo(ReviewerInput.MEMBER_REMOVED);
        assertThat(ReviewerInputs.from(event(
                        "g", T0, EventType.MEMBER_ADDED, new MemberData(9, MemberData.GROUP, null, 3L, 40, null))))
                .as("group")
                .isNull();
        assertThat(ReviewerInputs.from(event(
                        "c",
                        T0,
                        EventType.USER_CREATED,
                        new UserData(9, "u", null, "U", "u@example.com", "active", null, null))))
                .as("no project")
                .isNull();
    }
}
