package io.eventstream.features.gitlab;

import static io.eventstream.features.events.EventType.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.CommitData;
import io.eventstream.features.events.Decoded;
import io.eventstream.features.events.DiffPosition;
import io.eventstream.features.events.EmojiData;
import io.eventstream.features.events.EventData;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.GenericData;
import io.eventstream.features.events.IssueData;
import io.eventstream.features.events.MemberData;
import io.eventstream.features.events.MergeRequestData;
import io.eventstream.features.events.NoteData;
import io.eventstream.features.events.ProjectData;
import io.eventstream.features.events.PushData;
import io.eventstream.features.events.ReasonCode;
import io.eventstream.features.events.UserData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Converts every public payload under {@code shared/fixtures/gitlab-webhooks} and checks each against
 * expectations worked out by reading the payload by hand: type(s), event time in UTC, subject,
 * partition key and the whole typed data (actor and entity ids included). Two files are expected to be
 * unsupported: the test delivery and a docs-era system-hook merge request body that has no action.
 *
 * <p>Fixed receive time {@link #RECEIVED}: it is the event time only of kinds whose body dates nothing
 * (see docs/gitlab-adapters.md), which makes those rows visible in the table.
 */
class GitLabFixturesConformanceTest {
    static final Instant RECEIVED = Instant.parse("2030-01-02T03:04:05Z");
    private static final String ZEROS = "0000000000000000000000000000000000000000";
    private static final String R = "received";

    private static Path fixtures;
    private final GitLabAdapter adapter = new GitLabAdapter("https://gitlab.example.com");
    private final CloudEventJson json = new CloudEventJson();

    @BeforeAll
    static void locateFixtures() {
        fixtures = GitLabFixtures.directory().orElse(null);
        if (fixtures == null) {
            System.err.println("*** " + skipMessage() + " ***");
        }
    }

    @BeforeEach
    void requireFixtures() {
        Assumptions.assumeTrue(fixtures != null, GitLabFixturesConformanceTest::skipMessage);
    }

    private static String skipMessage() {
        String configured = System.getProperty(GitLabFixtures.PROPERTY);
        String where = configured != null
                ? "-D" + GitLabFixtures.PROPERTY + "=" + configured + " is not a directory"
                : "no shared/fixtures/gitlab-webhooks above " + Path.of("").toAbsolutePath() + " and no -D"
                        + GitLabFixtures.PROPERTY + "=DIR";
        return "SKIPPED: GitLab payload conformance test did not run: " + where;
    }

    record Ev(EventType type, String time, String subject, String partitionKey, EventData data) {
        Instant instant() {
            return time.equals(R) ? RECEIVED : Instant.parse(time);
        }
    }

    /** One fixture: the X-Gitlab-Event header from the fixtures README and what it must convert to. */
    record Expected(String header, List<Ev> events, ReasonCode unsupported) {}

    private static Expected ok(String header, Ev... events) {
        return new Expected(header, List.of(events), null);
    }

    private static Expected unsupported(String header, ReasonCode reason) {
        return new Expected(header, List.of(), reason);
    }

    private static Ev ev(EventType type, String time, String subject, String partitionKey, EventData data) {
        return new Ev(type, time, subject, partitionKey, data);
    }

    private static CommitData commit(
            String sha, String time, List<String> added, List<String> modified, List<String> removed) {
        return new CommitData(sha, Instant.parse(time).toEpochMilli(), added, modified, removed);
    }

    static final Map<String, Expected> EXPECTED = new LinkedHashMap<>();

    static {
        // ---- gitlab4j
        EXPECTED.put(
                "gitlab4j/external-status-check-event.json",
                ok(
                        null,
                        ev(
                                EXTERNAL_STATUS_CHECK_REQUESTED,
                                "2023-03-14T12:50:14Z",
                                "projects/499/merge_requests/20",
                                "37",
                                new GenericData("merge_request", 8440L, 499L, null, 37L, "open", null))));
        EXPECTED.put(
                "gitlab4j/workitem-event.json",
                ok(
                        "Issue Hook",
                        ev(
                                ISSUE_UPDATED,
                                "2024-10-17T06:47:37Z",
                                "work_items/93843",
                                "1245",
                                new IssueData(
                                        null,
                                        null,
                                        93843,
                                        1,
                                        1245L,
                                        1245L,
                                        "Test Epic item",
                                        "This is a test.\n\nThis is a test.",
                                        "opened",
                                        false,
                                        "Epic",
                                        List.of(),
                                        List.of("status::RequirementsAndSpecification")))));
        // ---- flc1125/go-gitlab-webhook
        EXPECTED.put(
                "go-gitlab-webhook/milestone.json",
                ok(
                        "Milestone Hook",
                        ev(
                                MILESTONE_CREATED,
                                "2024-01-01T00:00:00Z",
                                "projects/1/milestones/1",
                                "projects/1/milestones/1",
                                new GenericData("milestone", 10L, 1L, null, null, "create", null))));
        EXPECTED.put(
                "go-gitlab-webhook/project.json",
                ok(
                        "Project Hook",
                        ev(
                                PROJECT_CREATED,
                                "2012-07-21T07:30:54Z",
                                "projects/74",
                                "projects/74",
                                new ProjectData(74, null, "jsmith/storecloud", null, "private", null))));
        // ---- xanzy/go-gitlab system hooks
        EXPECTED.put(
                "go-gitlab/systemhooks/group_create.json",
                ok(
                        "System Hook",
                        ev(
                                GROUP_CREATED,
                                "2012-07-21T07:30:54Z",
                                "groups/78",
                                "groups/78",
                                new GenericData("group_create", 78L, null, 78L, null, null, null))));
        EXPECTED.put(
                "go-gitlab/systemhooks/group_rename.json",
                ok(
                        "System Hook",
                        ev(
                                GROUP_RENAMED,
                                "2017-11-01T10:23:52Z",
                                "groups/64",
                                "groups/64",
                                new GenericData("group_rename", 64L, null, 64L, null, null, null))));
        EXPECTED.put(
                "go-gitlab/systemhooks/key_create.json",
                ok(
                        "System Hook",
                        ev(
                                KEY_CREATED,
                                "2014-08-18T18:45:16Z",
                                "keys/4",
                                "keys/4",
                                new GenericData("key_create", 4L, null, null, null, null, null))));
        // A docs-era body without object_attributes.action: nothing says what happened.
        EXPECTED.put(
                "go-gitlab/systemhooks/merge_request.json", unsupported("System Hook", ReasonCode.UNSUPPORTED_ACTION));
        EXPECTED.put(
                "go-gitlab/systemhooks/project_create.json",
                ok(
                        "System Hook",
                        ev(
                                PROJECT_CREATED,
                                "2012-07-21T07:30:54Z",
                                "projects/74",
                                "projects/74",
                                new ProjectData(74, null, "jsmith/storecloud", null, "private", null))));
        EXPECTED.put(
                "go-gitlab/systemhooks/project_transfer.json",
                ok(
                        "System Hook",
                        ev(
                                PROJECT_TRANSFERRED,
                                "2012-07-21T07:38:22Z",
                                "projects/73",
                                "projects/73",
                                new ProjectData(73, null, "scores/underscore", "jsmith/overscore", "internal", null))));
        EXPECTED.put(
                "go-gitlab/systemhooks/push.json",
                ok(
                        "System Hook",
                        ev(
                                PUSH,
                                "2013-05-13T18:18:08Z",
                                "projects/15/branches/master",
                                "4",
                                new PushData(
                                        15,
                                        4L,
                                        "refs/heads/master",
                                        "master",
                                        "95790bf891e76fee5e1747ab589903a6a1f80f22",
                                        "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
                                        false,
                                        false,
                                        1,
                                        List.of(commit(
                                                "c5feabde2d8cd023215af4d2ceeb7a64839fc428",
                                                "2013-05-13T18:18:08Z",
                                                List.of(),
                                                List.of(),
                                                List.of()))))));
        EXPECTED.put(
                "go-gitlab/systemhooks/repository_update.json",
                ok(
                        "System Hook",
                        ev(
                                REPOSITORY_UPDATED,
                                R,
                                "projects/1",
                                "1",
                                new GenericData("repository_update", null, 1L, null, 1L, null, null))));
        EXPECTED.put(
                "go-gitlab/systemhooks/tag_push.json",
                ok(
                        "System Hook",
                        ev(
                                TAG_PUSH,
                                R,
                                "projects/1/tags/v1.0.0",
                                "1",
                                new PushData(
                                        1,
                                        1L,
                                        "refs/tags/v1.0.0",
                                        "v1.0.0",
                                        ZEROS,
                                        "82b3d5ae55f7080f1e6022629cdb57bfae7cccc7",
                                        true,
                                        false,
                                        0,
                                        List.of()))));
        EXPECTED.put(
                "go-gitlab/systemhooks/user_add_to_group.json",
                ok(
                        "System Hook",
                        ev(
                                MEMBER_ADDED,
                                "2012-07-21T07:30:56Z",
                                "groups/78/members/41",
                                "41",
                                new MemberData(41, MemberData.GROUP, null, 78L, 40, null))));
        EXPECTED.put(
                "go-gitlab/systemhooks/user_add_to_team.json",
                ok(
                        "System Hook",
                        ev(
                                MEMBER_ADDED,
                                "2012-07-21T07:30:56Z",
                                "projects/74/members/41",
                                "41",
                                new MemberData(41, MemberData.PROJECT, 74L, null, 40, null))));
        EXPECTED.put(
                "go-gitlab/systemhooks/user_create.json",
                ok(
                        "System Hook",
                        ev(
                                USER_CREATED,
                                "2012-07-21T07:44:07Z",
                                "users/41",
                                "41",
                                new UserData(41, "js", null, "John Smith", "js@gitlabhq.com", null, null, null))));
        EXPECTED.put(
                "go-gitlab/systemhooks/user_destroy.json",
                ok(
                        "System Hook",
                        ev(
                                USER_REMOVED,
                                R,
                                "users/41",
                                "41",
                                new UserData(41, "js", null, "John Smith", "js@gitlabhq.com", null, null, null))));
        EXPECTED.put(
                "go-gitlab/systemhooks/user_failed_login.json",
                ok(
                        "System Hook",
                        ev(
                                USER_FAILED_LOGIN,
                                "2018-01-15T04:52:06Z",
                                "users/26",
                                "26",
                                new UserData(
                                        26, "user4", null, "John Smith", "user4@example.com", "blocked", null, null))));
        EXPECTED.put(
                "go-gitlab/systemhooks/user_remove_from_group.json",
                ok(
                        "System Hook",
                        ev(
                                MEMBER_REMOVED,
                                R,
                                "groups/78/members/41",
                                "41",
                                new MemberData(41, MemberData.GROUP, null, 78L, 40, null))));
        EXPECTED.put(
                "go-gitlab/systemhooks/user_remove_from_team.json",
                ok(
                        "System Hook",
                        ev(
                                MEMBER_REMOVED,
                                R,
                                "projects/74/members/41",
                                "41",
                                new MemberData(41, MemberData.PROJECT, 74L, null, 40, null))));
        EXPECTED.put(
                "go-gitlab/systemhooks/user_rename.json",
                ok(
                        "System Hook",
                        ev(
                                USER_RENAMED,
                                "2017-11-01T14:04:47Z",
                                "users/58",
                                "58",
                                new UserData(
                                        58,
                                        "new-exciting-name",
                                        "old-boring-name",
                                        "new-name",
                                        "best-email@example.tld",
                                        null,
                                        null,
                                        null))));
        EXPECTED.put(
                "go-gitlab/systemhooks/user_update_for_group.json",
                ok(
                        "System Hook",
                        ev(
                                MEMBER_UPDATED,
                                "2012-07-21T07:38:22Z",
                                "groups/78/members/41",
                                "41",
                                new MemberData(41, MemberData.GROUP, null, 78L, 40, null))));
        EXPECTED.put(
                "go-gitlab/systemhooks/user_update_for_team.json",
                ok(
                        "System Hook",
                        ev(
                                MEMBER_UPDATED,
                                "2012-07-21T07:38:22Z",
                                "projects/74/members/41",
                                "41",
                                new MemberData(41, MemberData.PROJECT, 74L, null, 40, null))));
        // ---- xanzy/go-gitlab webhooks
        EXPECTED.put(
                "go-gitlab/webhooks/build.json",
                ok(
                        "Build Hook",
                        ev(
                                JOB_UPDATED,
                                "2021-02-23T02:41:37.886Z",
                                "projects/380/jobs/1977",
                                "42",
                                new GenericData("build", 1977L, 380L, null, 42L, null, "created"))));
        EXPECTED.put(
                "go-gitlab/webhooks/deployment.json",
                ok(
                        "Deployment Hook",
                        ev(
                                DEPLOYMENT_UPDATED,
                                "2021-04-28T19:50:00Z",
                                "projects/30/deployments/15",
                                "42",
                                new GenericData("deployment", 15L, 30L, null, 42L, null, "success"))));
        EXPECTED.put(
                "go-gitlab/webhooks/feature_flag.json",
                ok(
                        "Feature Flag Hook",
                        ev(
                                FEATURE_FLAG_UPDATED,
                                R,
                                "projects/1/feature_flags/6",
                                "1",
                                new GenericData("feature_flag", 6L, 1L, null, 1L, null, "active"))));
        // Keys with trailing spaces ("iid ", "state ": "merged ") and no project.id: target_project_id.
        EXPECTED.put(
                "go-gitlab/webhooks/group_merge_request.json",
                ok(
                        "Merge Request Hook",
                        ev(
                                MERGE_REQUEST_MERGED,
                                "2016-12-01T13:21:20Z",
                                "projects/87/merge_requests/1402",
                                "42",
                                new MergeRequestData(
                                        87,
                                        15917,
                                        1402,
                                        15L,
                                        42L,
                                        "source-branch-test ",
                                        "word doc support for e-ticket",
                                        "merged",
                                        87L,
                                        "source-branch-test",
                                        "master",
                                        false,
                                        List.of(),
                                        null,
                                        List.of(29L),
                                        null))));
        EXPECTED.put(
                "go-gitlab/webhooks/issue.json",
                ok(
                        "Issue Hook",
                        ev(
                                ISSUE_OPENED,
                                "2013-12-03T17:15:43Z",
                                "projects/1/issues/23",
                                "1",
                                new IssueData(
                                        1L,
                                        null,
                                        301,
                                        23,
                                        51L,
                                        1L,
                                        "New API: create/update/delete file",
                                        "Create new API for manipulations with repository",
                                        "opened",
                                        false,
                                        "Issue",
                                        List.of(51L),
                                        List.of("API")))));
        EXPECTED.put(
                "go-gitlab/webhooks/job.json",
                ok(
                        "Job Hook",
                        ev(
                                JOB_UPDATED,
                                "2023-01-10T13:50:54Z",
                                "projects/31537070/jobs/3580121225",
                                "2967854",
                                new GenericData("build", 3580121225L, 31537070L, null, 2967854L, null, "success"))));
        EXPECTED.put(
                "go-gitlab/webhooks/member.json",
                ok(
                        "Member Hook",
                        ev(
                                MEMBER_ADDED,
                                "2020-12-11T04:57:22Z",
                                "groups/100/members/64",
                                "64",
                                new MemberData(
                                        64,
                                        MemberData.GROUP,
                                        null,
                                        100L,
                                        10,
                                        Instant.parse("2020-12-14T00:00:00Z").toEpochMilli()))));
        EXPECTED.put(
                "go-gitlab/webhooks/merge_request.json",
                ok(
                        "Merge Request Hook",
                        ev(
                                MERGE_REQUEST_OPENED,
                                "2013-12-03T17:23:34Z",
                                "projects/1/merge_requests/1",
                                "1",
                                new MergeRequestData(
                                        1,
                                        99,
                                        1,
                                        51L,
                                        1L,
                                        "MS-Viewport",
                                        null,
                                        "opened",
                                        14L,
                                        "ms-viewport",
                                        "master",
                                        false,
                                        List.of(1L),
                                        null,
                                        List.of(1L),
                                        null))));
        // Note author (author_id 1) differs from the hook's user (42): the author is the actor.
        EXPECTED.put(
                "go-gitlab/webhooks/note_commit.json",
                ok(
                        "Note Hook",
                        ev(
                                NOTE_CREATED,
                                "2015-05-17T18:08:09Z",
                                "projects/5/notes/1243",
                                "1",
                                new NoteData(
                                        5L,
                                        1243,
                                        1,
                                        NoteData.COMMIT,
                                        null,
                                        null,
                                        "cfe32cf61b73a0d5e9f13e774abde7ff789b1660",
                                        "This is a commit comment. How does this work?",
                                        false,
                                        false,
                                        null))));
        EXPECTED.put(
                "go-gitlab/webhooks/note_issue.json",
                ok(
                        "Note Hook",
                        ev(
                                NOTE_CREATED,
                                "2015-05-17T17:06:40Z",
                                "projects/5/notes/1241",
                                "1",
                                new NoteData(
                                        5L,
                                        1241,
                                        1,
                                        NoteData.ISSUE,
                                        92L,
                                        17L,
                                        null,
                                        "Hello world",
                                        false,
                                        false,
                                        null))));
        EXPECTED.put(
                "go-gitlab/webhooks/note_merge_request.json",
                ok(
                        "Note Hook",
                        ev(
                                NOTE_CREATED,
                                "2015-05-17T18:21:36Z",
                                "projects/5/notes/1244",
                                "1",
                                new NoteData(
                                        5L,
                                        1244,
                                        1,
                                        NoteData.MERGE_REQUEST,
                                        7L,
                                        1L,
                                        null,
                                        "This MR needs work.",
                                        false,
                                        false,
                                        null))));
        EXPECTED.put(
                "go-gitlab/webhooks/note_snippet.json",
                ok(
                        "Note Hook",
                        ev(
                                NOTE_CREATED,
                                "2015-05-17T18:35:50Z",
                                "projects/5/notes/1245",
                                "1",
                                new NoteData(
                                        5L,
                                        1245,
                                        1,
                                        NoteData.SNIPPET,
                                        53L,
                                        null,
                                        null,
                                        "Is this snippet doing what it's supposed to be doing?",
                                        false,
                                        false,
                                        null))));
        EXPECTED.put(
                "go-gitlab/webhooks/pipeline.json",
                ok(
                        "Pipeline Hook",
                        ev(
                                PIPELINE_UPDATED,
                                "2016-08-12T15:26:29Z",
                                "projects/1/pipelines/31",
                                "42",
                                new GenericData("pipeline", 31L, 1L, null, 42L, null, "success"))));
        // Newest commit: 2012-01-03T23:36:29+02:00 (the other is 2011-12-12).
        EXPECTED.put(
                "go-gitlab/webhooks/push.json",
                ok(
                        "Push Hook",
                        ev(
                                PUSH,
                                "2012-01-03T21:36:29Z",
                                "projects/15/branches/master",
                                "4",
                                new PushData(
                                        15,
                                        4L,
                                        "refs/heads/master",
                                        "master",
                                        "95790bf891e76fee5e1747ab589903a6a1f80f22",
                                        "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
                                        false,
                                        false,
                                        4,
                                        List.of(
                                                commit(
                                                        "b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327",
                                                        "2011-12-12T12:27:31Z",
                                                        List.of("CHANGELOG"),
                                                        List.of("app/controller/application.rb"),
                                                        List.of()),
                                                commit(
                                                        "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
                                                        "2012-01-03T21:36:29Z",
                                                        List.of("CHANGELOG"),
                                                        List.of("app/controller/application.rb"),
                                                        List.of()))))));
        EXPECTED.put(
                "go-gitlab/webhooks/release.json",
                ok(
                        "Release Hook",
                        ev(
                                RELEASE_CREATED,
                                "2021-02-25T21:23:34Z",
                                "projects/327622/releases/1.0.0",
                                "projects/327622/releases/1.0.0",
                                new GenericData("release", 8273642L, 327622L, null, null, "create", null))));
        EXPECTED.put(
                "go-gitlab/webhooks/resource_access_token_group.json",
                ok(
                        "Resource Access Token Hook",
                        ev(
                                ACCESS_TOKEN_EXPIRING,
                                R,
                                "groups/35/access_tokens/25",
                                "90",
                                new GenericData("access_token", 25L, null, 35L, 90L, null, null))));
        EXPECTED.put(
                "go-gitlab/webhooks/resource_access_token_project.json",
                ok(
                        "Resource Access Token Hook",
                        ev(
                                ACCESS_TOKEN_EXPIRING,
                                R,
                                "projects/7/access_tokens/25",
                                "90",
                                new GenericData("access_token", 25L, 7L, null, 90L, null, null))));
        EXPECTED.put(
                "go-gitlab/webhooks/service_merge_request.json",
                ok(
                        "Service Hook",
                        ev(
                                MERGE_REQUEST_UPDATED,
                                "2021-09-27T05:01:21Z",
                                "projects/2/merge_requests/2",
                                "2",
                                new MergeRequestData(
                                        2,
                                        2,
                                        2,
                                        2L,
                                        2L,
                                        "Update client.go \uD83C\uDF89",
                                        null,
                                        "opened",
                                        2L,
                                        "next-feature",
                                        "master",
                                        false,
                                        List.of(),
                                        null,
                                        List.of(),
                                        null))));
        EXPECTED.put(
                "go-gitlab/webhooks/subgroup.json",
                ok(
                        "Subgroup Hook",
                        ev(
                                GROUP_CREATED,
                                "2022-01-24T14:23:59Z",
                                "groups/2",
                                "groups/2",
                                new GenericData("subgroup_create", 2L, null, 2L, null, null, null))));
        EXPECTED.put(
                "go-gitlab/webhooks/tag_push.json",
                ok(
                        "Tag Push Hook",
                        ev(
                                TAG_PUSH,
                                "2012-01-03T21:36:29Z",
                                "projects/1/tags/v1.0.0",
                                "1",
                                new PushData(
                                        1,
                                        1L,
                                        "refs/tags/v1.0.0",
                                        "v1.0.0",
                                        ZEROS,
                                        "82b3d5ae55f7080f1e6022629cdb57bfae7cccc7",
                                        true,
                                        false,
                                        1,
                                        List.of(commit(
                                                "82b3d5ae55f7080f1e6022629cdb57bfae7cccc7",
                                                "2012-01-03T21:36:29Z",
                                                List.of("CHANGELOG"),
                                                List.of("UPGRADE.md"),
                                                List.of()))))));
        EXPECTED.put(
                "go-gitlab/webhooks/wiki_page.json",
                ok(
                        "Wiki Page Hook",
                        ev(
                                WIKI_PAGE_CREATED,
                                R,
                                "projects/1/wikis/awesome",
                                "projects/1/wikis/awesome",
                                new GenericData("wiki_page", null, 1L, null, null, "create", null))));
        // ---- drone/go-scm (real 2017 gitlab.com captures: no user.id)
        EXPECTED.put(
                "go-scm/branch_delete.json",
                ok(
                        "Push Hook",
                        ev(
                                PUSH,
                                R,
                                "projects/4861503/branches/feature",
                                "51764",
                                new PushData(
                                        4861503,
                                        51764L,
                                        "refs/heads/feature",
                                        "feature",
                                        "c4c79227ed610f1151f05bbc5be33b4f340d39c8",
                                        ZEROS,
                                        false,
                                        true,
                                        0,
                                        List.of()))));
        EXPECTED.put(
                "go-scm/issue_comment_create.json",
                ok(
                        "Note Hook",
                        ev(
                                NOTE_CREATED,
                                "2017-12-10T16:43:38Z",
                                "projects/4861503/notes/50771783",
                                "51764",
                                new NoteData(
                                        4861503L,
                                        50771783,
                                        51764,
                                        NoteData.ISSUE,
                                        8131350L,
                                        1L,
                                        null,
                                        "bump",
                                        false,
                                        false,
                                        null))));
        EXPECTED.put(
                "go-scm/issue_create.json",
                ok(
                        "Issue Hook",
                        ev(
                                ISSUE_OPENED,
                                "2017-12-10T16:37:38Z",
                                "projects/4861503/issues/1",
                                "51764",
                                new IssueData(
                                        4861503L,
                                        null,
                                        8131350,
                                        1,
                                        51764L,
                                        51764L,
                                        "found a bug",
                                        "everything is broken",
                                        "opened",
                                        false,
                                        "Issue",
                                        List.of(),
                                        List.of()))));
        // An update without user.id: the actor is unknown, so the subject is the partition key.
        EXPECTED.put(
                "go-scm/issue_labeled.json",
                ok(
                        "Issue Hook",
                        ev(
                                ISSUE_UPDATED,
                                "2017-12-10T16:38:25Z",
                                "projects/4861503/issues/1",
                                "projects/4861503/issues/1",
                                new IssueData(
                                        4861503L,
                                        null,
                                        8131350,
                                        1,
                                        51764L,
                                        null,
                                        "found a bug",
                                        "website is broken",
                                        "opened",
                                        false,
                                        "Issue",
                                        List.of(),
                                        List.of("critical")))));
        EXPECTED.put(
                "go-scm/merge_request_comment_create.json",
                ok(
                        "Note Hook",
                        ev(
                                NOTE_CREATED,
                                "2017-12-10T17:05:14Z",
                                "projects/4861503/notes/50772616",
                                "51764",
                                new NoteData(
                                        4861503L,
                                        50772616,
                                        51764,
                                        NoteData.MERGE_REQUEST,
                                        6632669L,
                                        1L,
                                        null,
                                        "lgtm",
                                        false,
                                        false,
                                        null))));
        EXPECTED.put(
                "go-scm/pull_request_merge.json",
                ok(
                        "Merge Request Hook",
                        ev(
                                MERGE_REQUEST_MERGED,
                                "2017-12-10T17:08:07Z",
                                "projects/4861503/merge_requests/1",
                                "projects/4861503/merge_requests/1",
                                new MergeRequestData(
                                        4861503,
                                        6632669,
                                        1,
                                        51764L,
                                        null,
                                        "update readme",
                                        "adding build instructions to readme",
                                        "merged",
                                        4861503L,
                                        "feature",
                                        "master",
                                        false,
                                        List.of(),
                                        null,
                                        List.of(),
                                        null))));
        EXPECTED.put(
                "go-scm/pull_request_review_ready.json",
                ok(
                        "Merge Request Hook",
                        ev(
                                MERGE_REQUEST_UPDATED,
                                "2023-09-07T19:42:45Z",
                                "projects/44067058/merge_requests/3",
                                "13900456",
                                new MergeRequestData(
                                        44067058,
                                        248466002,
                                        3,
                                        13900456L,
                                        13900456L,
                                        "Draft: Update README.md",
                                        null,
                                        "opened",
                                        44067058L,
                                        "main1234",
                                        "main",
                                        true,
                                        List.of(),
                                        null,
                                        List.of(),
                                        null))));
        // Newest commit: 17:08:06Z beats 08:28:36-08:00 (16:28:36Z).
        EXPECTED.put(
                "go-scm/push_merge.json",
                ok(
                        "Push Hook",
                        ev(
                                PUSH,
                                "2017-12-10T17:08:06Z",
                                "projects/4861503/branches/master",
                                "51764",
                                new PushData(
                                        4861503,
                                        51764L,
                                        "refs/heads/master",
                                        "master",
                                        "2adc9465c4edfc33834e173fe89436a7cb899a1d",
                                        "78a76ee6b4992a6baf64c59fc4c44c7323d60438",
                                        false,
                                        false,
                                        2,
                                        List.of(
                                                commit(
                                                        "c4c79227ed610f1151f05bbc5be33b4f340d39c8",
                                                        "2017-12-10T16:28:36Z",
                                                        List.of(),
                                                        List.of("README.md"),
                                                        List.of()),
                                                commit(
                                                        "78a76ee6b4992a6baf64c59fc4c44c7323d60438",
                                                        "2017-12-10T17:08:06Z",
                                                        List.of(),
                                                        List.of("README.md"),
                                                        List.of()))))));
        EXPECTED.put(
                "go-scm/review_comment_create.json",
                ok(
                        "Note Hook",
                        ev(
                                NOTE_CREATED,
                                "2017-12-10T17:05:56Z",
                                "projects/4861503/notes/50772639",
                                "51764",
                                new NoteData(
                                        4861503L,
                                        50772639,
                                        51764,
                                        NoteData.MERGE_REQUEST,
                                        6632669L,
                                        1L,
                                        null,
                                        "check spelling",
                                        false,
                                        false,
                                        new DiffPosition(
                                                "README.md",
                                                "README.md",
                                                null,
                                                1,
                                                "2adc9465c4edfc33834e173fe89436a7cb899a1d",
                                                "c4c79227ed610f1151f05bbc5be33b4f340d39c8",
                                                "2adc9465c4edfc33834e173fe89436a7cb899a1d")))));
        EXPECTED.put(
                "go-scm/tag_create.json",
                ok(
                        "Tag Push Hook",
                        ev(
                                TAG_PUSH,
                                "2017-12-10T08:26:38Z",
                                "projects/4861503/tags/v1.0.0",
                                "51764",
                                new PushData(
                                        4861503,
                                        51764L,
                                        "refs/tags/v1.0.0",
                                        "v1.0.0",
                                        ZEROS,
                                        "2adc9465c4edfc33834e173fe89436a7cb899a1d",
                                        true,
                                        false,
                                        1,
                                        List.of(commit(
                                                "2adc9465c4edfc33834e173fe89436a7cb899a1d",
                                                "2017-12-10T08:26:38Z",
                                                List.of("README.md"),
                                                List.of(),
                                                List.of()))))));
        // ---- zulip/zulip (real gitlab.com captures)
        EXPECTED.put(
                "zulip/emoji_hook__award__merge_request.json",
                ok(
                        "Emoji Hook",
                        ev(
                                EMOJI_AWARDED,
                                "2025-04-04T01:14:53Z",
                                "projects/68452408/merge_requests/1",
                                "26076637",
                                new EmojiData(
                                        68452408L, 26076637, 33633176L, "thumbsup", "MergeRequest", 373930372L))));
        EXPECTED.put(
                "zulip/issue_hook__issue_opened_with_null_description.json",
                ok(
                        "Issue Hook",
                        ev(
                                ISSUE_OPENED,
                                "2018-03-23T17:35:53Z",
                                "projects/3319043/issues/7",
                                "1129123",
                                new IssueData(
                                        3319043L,
                                        null,
                                        9892394,
                                        7,
                                        1129123L,
                                        1129123L,
                                        "Issue without description",
                                        null,
                                        "opened",
                                        false,
                                        "Issue",
                                        List.of(),
                                        List.of()))));
        EXPECTED.put(
                "zulip/issue_hook__task_created.json",
                ok(
                        "Issue Hook",
                        ev(
                                ISSUE_OPENED,
                                "2026-05-28T06:14:44.830Z",
                                "projects/80222147/issues/7",
                                "34850171",
                                new IssueData(
                                        80222147L,
                                        null,
                                        191205564,
                                        7,
                                        34850171L,
                                        34850171L,
                                        "Sample Task.",
                                        "Sample Task.",
                                        "opened",
                                        false,
                                        "Task",
                                        List.of(),
                                        List.of()))));
        EXPECTED.put(
                "zulip/merge_request_hook__merge_request_approved.json",
                ok(
                        "Merge Request Hook",
                        ev(
                                MERGE_REQUEST_APPROVED,
                                "2017-12-18T00:39:44Z",
                                "projects/3319043/merge_requests/1",
                                "projects/3319043/merge_requests/1",
                                new MergeRequestData(
                                        3319043,
                                        3673242,
                                        1,
                                        1129123L,
                                        null,
                                        "Update the README with author name",
                                        null,
                                        "opened",
                                        3319043L,
                                        "changes",
                                        "feature",
                                        false,
                                        List.of(),
                                        null,
                                        List.of(),
                                        null))));
        EXPECTED.put(
                "zulip/note_hook__merge_request_note.json",
                ok(
                        "Note Hook",
                        ev(
                                NOTE_CREATED,
                                "2023-05-25T19:04:19Z",
                                "projects/46186758/notes/1406328457",
                                "14613894",
                                new NoteData(
                                        46186758L,
                                        1406328457,
                                        14613894,
                                        NoteData.MERGE_REQUEST,
                                        226323715L,
                                        1L,
                                        null,
                                        "I am not sure if this new feature is even required or not.",
                                        false,
                                        false,
                                        null))));
        EXPECTED.put(
                "zulip/test_hook__issue_test_payload.json", unsupported("Test Hook", ReasonCode.UNSUPPORTED_ACTION));
    }

    @Test
    void everyFixtureFileHasAnExpectationAndViceVersa() throws IOException {
        TreeSet<String> files = new TreeSet<>();
        try (Stream<Path> paths = Files.walk(fixtures)) {
            paths.filter(p -> p.toString().endsWith(".json"))
                    .forEach(p -> files.add(fixtures.relativize(p).toString().replace('\\', '/')));
        }
        assertThat(files).hasSize(60);
        assertThat(files).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureConvertsAsWorkedOutByHand() {
        return EXPECTED.entrySet().stream()
                .map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
                    Expected expected = entry.getValue();
                    byte[] body = Files.readAllBytes(fixtures.resolve(entry.getKey()));
                    Conversion conversion = adapter.convert(body, expected.header(), null, RECEIVED);
                    if (expected.unsupported() != null) {
                        assertThat(conversion.events()).isEmpty();
                        assertThat(conversion.unsupported())
                                .as(String.valueOf(conversion.error()))
                                .isTrue();
                        assertThat(conversion.error().reason()).isEqualTo(expected.unsupported());
                        return;
                    }
                    assertThat(conversion.isOk())
                            .as(String.valueOf(conversion.error()))
                            .isTrue();
                    List<Ev> actual = new ArrayList<>();
                    for (CloudEvent event : conversion.events()) {
                        actual.add(new Ev(
                                event.type(),
                                event.time().equals(RECEIVED) ? R : event.time().toString(),
                                event.subject(),
                                event.partitionKey(),
                                event.data()));
                        assertThat(event.source()).isEqualTo("https://gitlab.example.com");
                        assertThat(event.recordedTime()).isEqualTo(RECEIVED);
                        assertThat(event.dataschema()).isEqualTo(CloudEvent.schemaUri(event.type()));
                    }
                    assertThat(actual).containsExactlyElementsOf(expected.events());
                    for (int i = 0; i < actual.size(); i++) {
                        assertThat(conversion.events().get(i).time())
                                .isEqualTo(expected.events().get(i).instant());
                    }
                }));
    }

    @Test
    void everyConvertedEventRoundTripsThroughTheCodec() throws IOException {
        int events = 0;
        for (Map.Entry<String, Expected> entry : EXPECTED.entrySet()) {
            byte[] body = Files.readAllBytes(fixtures.resolve(entry.getKey()));
            for (CloudEvent event : adapter.convert(body, entry.getValue().header(), null, RECEIVED)
                    .events()) {
                Decoded<CloudEvent> back = json.read(json.write(event));
                assertThat(back.isOk()).as(entry.getKey() + ": " + back).isTrue();
                assertThat(back.value()).as(entry.getKey()).isEqualTo(event);
                events++;
            }
        }
        assertThat(events).isEqualTo(58);
    }

    @Test
    void idsAreTheDeliveryUuidElseAStableHashOfTheBody() throws IOException {
        byte[] body = Files.readAllBytes(fixtures.resolve("go-gitlab/webhooks/issue.json"));
        String first = adapter.convert(body, "Issue Hook", null, RECEIVED)
                .events()
                .get(0)
                .id();
        String again = adapter.convert(body, "Issue Hook", null, RECEIVED.plusSeconds(60))
                .events()
                .get(0)
                .id();
        assertThat(first).matches("sha256-[0-9a-f]{32}").isEqualTo(again);
        byte[] other = Files.readAllBytes(fixtures.resolve("go-scm/issue_create.json"));
        assertThat(adapter.convert(other, "Issue Hook", null, RECEIVED)
                        .events()
                        .get(0)
                        .id())
                .isNotEqualTo(first);
        assertThat(adapter.convert(body, "Issue Hook", "9a1d4e2c-0f3b-4c55-8d6e-7a8b9c0d1e2f", RECEIVED)
                        .events()
                        .get(0)
                        .id())
                .isEqualTo("9a1d4e2c-0f3b-4c55-8d6e-7a8b9c0d1e2f");
    }

    @Test
    void theHeaderDoesNotChangeTheConversionExceptForTestDeliveries() throws IOException {
        // go-scm feeds push, tag and merge-request bodies in under System Hook too.
        for (String file :
                List.of("go-scm/push_merge.json", "go-scm/tag_create.json", "go-scm/pull_request_merge.json")) {
            byte[] body = Files.readAllBytes(fixtures.resolve(file));
            Conversion asProjectHook = adapter.convert(body, EXPECTED.get(file).header(), null, RECEIVED);
            assertThat(adapter.convert(body, "System Hook", null, RECEIVED)).isEqualTo(asProjectHook);
            assertThat(adapter.convert(body, null, null, RECEIVED)).isEqualTo(asProjectHook);
            assertThat(adapter.convert(body, "Test Hook", null, RECEIVED).unsupported())
                    .isTrue();
        }
        // The test delivery is recognisable without its header too: it has no action.
        byte[] test = Files.readAllBytes(fixtures.resolve("zulip/test_hook__issue_test_payload.json"));
        Conversion headerless = adapter.convert(test, null, null, RECEIVED);
        assertThat(headerless.error().reason()).isEqualTo(ReasonCode.UNSUPPORTED_ACTION);
        assertThat(headerless.error().field()).isEqualTo("object_attributes.action");
    }
}
