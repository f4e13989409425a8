package io.eventstream.features.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.CommitData;
import io.eventstream.features.events.DiffPosition;
import io.eventstream.features.events.EmojiData;
import io.eventstream.features.events.EventData;
import io.eventstream.features.events.EventError;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.GenericData;
import io.eventstream.features.events.IssueData;
import io.eventstream.features.events.MemberData;
import io.eventstream.features.events.MergeRequestData;
import io.eventstream.features.events.NoteData;
import io.eventstream.features.events.PushData;
import io.eventstream.features.events.ReasonCode;
import io.eventstream.features.events.UserData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hand-written fixtures in {@code src/test/resources/gitlab/}: what the public payloads lack (every
 * merge-request action, reviewer changes, system-hook user events incl. block, long and unicode text,
 * ids as strings, every timestamp shape, malformed, oversized and unsupported bodies), each with exact,
 * hand-computed expectations.
 */
class GitLabAdapterTest {
    private static final Instant RECEIVED = Instant.parse("2030-01-02T03:04:05Z");
    private static final String UUID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
    private static final String ZEROS = "0000000000000000000000000000000000000000";
    /** The unit note_long_unicode.json repeats 300 times: accents, CJK, RTL, a ZWJ emoji sequence, a
     * combining accent, astral math letters, quotes, a backslash, a tab and a newline. */
    private static final String UNICODE_UNIT = "\u00dcn\u00efc\u00f6d\u00e9 \u2713 \u65e5\u672c\u8a9e\u306e\u30c6\u30ad"
            + "\u30b9\u30c8 \u2014 \u05e2\u05d1\u05e8\u05d9\u05ea \u2014 \uD83D\uDC69\uD83C\uDFFD\u200D\uD83D\uDCBB cafe\u0301 "
            + "\uD835\uDD18\uD835\uDD2B\uD835\uDD26 \"quoted\" \\ back\tslash\n";

    private final GitLabAdapter adapter = new GitLabAdapter("https://gitlab.example.com");

    static byte[] fixture(String name) {
        try (InputStream in = GitLabAdapterTest.class.getResourceAsStream("/gitlab/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CloudEvent single(String name, String header) {
        Conversion conversion = adapter.convert(fixture(name), header, UUID, RECEIVED);
        assertThat(conversion.isOk()).as(String.valueOf(conversion.error())).isTrue();
        assertThat(conversion.events()).hasSize(1);
        CloudEvent event = conversion.events().get(0);
        assertThat(event.id()).isEqualTo(UUID);
        assertThat(event.source()).isEqualTo("https://gitlab.example.com");
        assertThat(event.recordedTime()).isEqualTo(RECEIVED);
        assertThat(event.dataschema()).isEqualTo(CloudEvent.schemaUri(event.type()));
        return event;
    }

    private static void assertEvent(
            CloudEvent event, EventType type, String time, String subject, String partitionKey, EventData data) {
        assertThat(event.type()).isEqualTo(type);
        assertThat(event.time()).isEqualTo(Instant.parse(time));
        assertThat(event.subject()).isEqualTo(subject);
        assertThat(event.partitionKey()).isEqualTo(partitionKey);
        assertThat(event.data()).isEqualTo(data);
    }

    private EventError error(String name, Instant receivedAt) {
        Conversion conversion = adapter.convert(fixture(name), null, null, receivedAt);
        assertThat(conversion.isOk()).isFalse();
        assertThat(conversion.events()).isEmpty();
        return conversion.error();
    }

    // ------------------------------------------------------------------ merge requests

    private static MergeRequestData widgetMr(Long actorId, String state, boolean draft, String description) {
        return new MergeRequestData(
                42,
                1007,
                7,
                7L,
                actorId,
                "Add widget cache",
                description,
                state,
                42L,
                "widget-cache",
                "main",
                draft,
                List.of(11L),
                null,
                List.of(7L),
                null);
    }

    private static final String DESCRIPTION = "Caches widgets.\n\nSee #3.";

    /** Every merge-request action, each body with a different timestamp shape. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "mr_open.json,       MERGE_REQUEST_OPENED,     2024-03-01T09:00:00Z,     7,  opened",
        "mr_close.json,      MERGE_REQUEST_CLOSED,     2024-03-02T10:00:00Z,     7,  closed",
        "mr_reopen.json,     MERGE_REQUEST_REOPENED,   2024-03-03T12:00:00.250Z, 7,  opened",
        "mr_merge.json,      MERGE_REQUEST_MERGED,     2024-03-04T11:00:00Z,     9,  merged",
        "mr_approved.json,   MERGE_REQUEST_APPROVED,   2024-03-05T19:00:00Z,     11, opened",
        "mr_unapproved.json, MERGE_REQUEST_UNAPPROVED, 2024-03-06T15:00:00Z,     11, opened",
        "mr_approval.json,   MERGE_REQUEST_APPROVAL,   2024-03-07T16:00:00Z,     11, opened",
        "mr_unapproval.json, MERGE_REQUEST_UNAPPROVAL, 2024-03-08T17:00:00Z,     11, opened",
    })
    void everyMergeRequestAction(String file, EventType type, String time, long actor, String state) {
        CloudEvent event = single(file, "Merge Request Hook");
        assertEvent(
                event,
                type,
                time,
                "projects/42/merge_requests/7",
                Long.toString(actor),
                widgetMr(actor, state, false, DESCRIPTION));
    }

    @Test
    void mergeRequestUpdateReadsStringBooleansAndEmptyDescriptions() {
        // draft "1" is true; description "" is no description.
        assertEvent(
                single("mr_update.json", "Merge Request Hook"),
                EventType.MERGE_REQUEST_UPDATED,
                "2024-03-01T10:15:30Z",
                "projects/42/merge_requests/7",
                "7",
                widgetMr(7L, "opened", true, null));
    }

    @Test
    void reviewerChangeAlsoEmitsReviewersChangedWithPreviousAndCurrentIds() {
        Conversion conversion =
                adapter.convert(fixture("mr_update_reviewers.json"), "Merge Request Hook", UUID, RECEIVED);
        assertThat(conversion.events()).hasSize(2);
        CloudEvent update = conversion.events().get(0);
        CloudEvent change = conversion.events().get(1);
        MergeRequestData expected = new MergeRequestData(
                42,
                1007,
                7,
                7L,
                7L,
                "Add widget cache",
                DESCRIPTION,
                "opened",
                42L,
                "widget-cache",
                "main",
                false,
                List.of(12L, 13L),
                List.of(11L),
                List.of(7L),
                null);
        assertEvent(
                update,
                EventType.MERGE_REQUEST_UPDATED,
                "2024-03-09T18:00:00Z",
                "projects/42/merge_requests/7",
                "7",
                expected);
        assertEvent(
                change,
                EventType.MERGE_REQUEST_REVIEWERS_CHANGED,
                "2024-03-09T18:00:00Z",
                "projects/42/merge_requests/7",
                "7",
                expected);
        assertThat(update.id()).isEqualTo(UUID);
        assertThat(change.id()).isEqualTo(UUID + "#1");

        // Without a delivery UUID both ids derive from the body hash, still distinct and stable.
        Conversion hashed = adapter.convert(fixture("mr_update_reviewers.json"), null, null, RECEIVED);
        String base = GitLabAdapter.bodyId(fixture("mr_update_reviewers.json"));
        assertThat(hashed.events()).extracting(CloudEvent::id).containsExactly(base, base + "#1");
    }

    @Test
    void changesSentAsAnArrayReadAsNoFieldChanges() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode body = (ObjectNode) mapper.readTree(fixture("mr_update_reviewers.json"));
        body.set(
                "changes",
                mapper.createArrayNode().add(mapper.createObjectNode().put("ref", "refs/heads/main")));
        Conversion conversion = adapter.convert(mapper.writeValueAsBytes(body), null, UUID, RECEIVED);
        assertThat(conversion.events()).extracting(CloudEvent::type).containsExactly(EventType.MERGE_REQUEST_UPDATED);
        assertThat(conversion.events().get(0).dataAs(MergeRequestData.class).previousReviewerIds())
                .isNull();
    }

    @Test
    void unknownMergeRequestActionIsUnsupportedAndNamed() {
        EventError error = error("mr_unknown_action.json", RECEIVED);
        assertThat(error.reason()).isEqualTo(ReasonCode.UNSUPPORTED_ACTION);
        assertThat(error.field()).isEqualTo("object_attributes.action");
        assertThat(error.message()).contains("'approval_rules_synced'");
        assertThat(adapter.convert(fixture("mr_unknown_action.json"), null, null, RECEIVED)
                        .unsupported())
                .isTrue();
    }

    @Test
    void mergeRequestWithoutAnyProjectIdIsMissingField() {
        assertThat(error("mr_missing_project.json", RECEIVED)).isEqualTo(EventError.missing("project.id"));
    }

    // ------------------------------------------------------------------ issues

    @Test
    void idsAsStringsAndGidsAndStringBooleansAndEscapedUnicode() {
        assertEvent(
                single("issue_ids_as_strings.json", "Issue Hook"),
                EventType.ISSUE_OPENED,
                "2024-04-01T08:00:00.123Z",
                "projects/42/issues/3",
                "5",
                new IssueData(
                        42L,
                        null,
                        3001,
                        3,
                        5L,
                        5L,
                        "\u00c9t\u00e9 \uD83C\uDF89 \u202eRTL override",
                        null,
                        "opened",
                        true,
                        "Incident",
                        List.of(5L, 6L, 8L),
                        List.of("bug", "\u754c\u9762")));
    }

    @Test
    void issueCloseUsesClosedAtAndFindsTheProjectInObjectAttributes() {
        assertEvent(
                single("issue_close.json", "Issue Hook"),
                EventType.ISSUE_CLOSED,
                "2024-06-01T10:00:00Z",
                "projects/42/issues/3",
                "5",
                new IssueData(
                        42L,
                        null,
                        3001,
                        3,
                        5L,
                        5L,
                        "Cache misses",
                        null,
                        "closed",
                        false,
                        "Issue",
                        List.of(),
                        List.of()));
    }

    @Test
    void issueReopenFallsBackToTheSingleAssigneeId() {
        assertEvent(
                single("issue_reopen.json", "Issue Hook"),
                EventType.ISSUE_REOPENED,
                "2024-06-02T09:30:00Z",
                "projects/42/issues/3",
                "6",
                new IssueData(
                        42L,
                        null,
                        3001,
                        3,
                        5L,
                        6L,
                        "Cache misses",
                        "Still broken.",
                        "opened",
                        false,
                        "Issue",
                        List.of(6L),
                        List.of()));
    }

    // ------------------------------------------------------------------ notes

    @Test
    void longUnicodeNoteBodySurvivesExactly() {
        CloudEvent event = single("note_long_unicode.json", "Note Hook");
        String body = UNICODE_UNIT.repeat(300);
        assertEvent(
                event,
                EventType.NOTE_CREATED,
                "2024-04-02T04:30:00Z",
                "projects/42/notes/9001",
                "5",
                new NoteData(42L, 9001, 5, NoteData.ISSUE, 3001L, 3L, null, body, false, false, null));
        // Counted by hand: 72 UTF-16 units per unit, 66 code points (six astral characters, two units each).
        assertThat(event.dataAs(NoteData.class).body()).hasSize(300 * 72);
        assertThat(event.dataAs(NoteData.class).body().codePointCount(0, 300 * 72))
                .isEqualTo(300 * 66);
        CloudEventJson json = new CloudEventJson();
        assertThat(json.read(json.write(event)).value()).isEqualTo(event);
    }

    @Test
    void noteUpdateWithDiffPositionAndInternalFlag() {
        assertEvent(
                single("note_update.json", "Note Hook"),
                EventType.NOTE_UPDATED,
                "2024-04-03T08:00:00Z",
                "projects/42/notes/9002",
                "11",
                new NoteData(
                        42L,
                        9002,
                        11,
                        NoteData.MERGE_REQUEST,
                        1007L,
                        7L,
                        null,
                        "Edited: LGTM",
                        false,
                        true,
                        new DiffPosition(
                                "src/cache.py",
                                "src/cache.py",
                                null,
                                12,
                                "a".repeat(40),
                                "c".repeat(40),
                                "b".repeat(40))));
    }

    @Test
    void unparseableTimestampIsBadTimestampNamingTheField() {
        EventError error = error("note_bad_timestamp.json", RECEIVED);
        assertThat(error.reason()).isEqualTo(ReasonCode.BAD_TIMESTAMP);
        assertThat(error.field()).isEqualTo("object_attributes.created_at");
        assertThat(error.message()).doesNotContain("10/12/2017");
    }

    // ------------------------------------------------------------------ system hooks and others

    @Test
    void userBlockWithRedactedEmailAndStringUserId() {
        assertEvent(
                single("user_block.json", "System Hook"),
                EventType.USER_BLOCKED,
                "2024-05-01T12:00:00Z",
                "users/77",
                "77",
                new UserData(77, "spambot77", null, "Spam Bot", null, "blocked", null, null));
    }

    @Test
    void userCreateWithUnicodeNameAndRedactedEmail() {
        assertEvent(
                single("user_create_redacted.json", "System Hook"),
                EventType.USER_CREATED,
                "2024-04-30T23:59:59Z",
                "users/78",
                "78",
                new UserData(
                        78, "newbie", null, "\u00dcn\u00efc\u00f6d\u00e9 N\u00e0me \u674e", null, null, null, null));
    }

    @Test
    void memberAddedWithDateOnlyExpiryAndRoleName() {
        assertEvent(
                single("member_add_expires_date_only.json", "System Hook"),
                EventType.MEMBER_ADDED,
                "2024-01-20T10:00:00Z",
                "projects/42/members/12",
                "12",
                new MemberData(
                        12,
                        MemberData.PROJECT,
                        42L,
                        null,
                        30,
                        Instant.parse("2024-01-26T00:00:00Z").toEpochMilli()));
    }

    @Test
    void emojiRevokeIsDatedByItsReceiptAndNeedsOne() {
        assertEvent(
                single("emoji_revoke.json", "Emoji Hook"),
                EventType.EMOJI_REVOKED,
                RECEIVED.toString(),
                "projects/42/notes/9001",
                "11",
                new EmojiData(42L, 11, 555L, "thumbsup", "Note", 9001L));
        EventError error = error("emoji_revoke.json", null);
        assertThat(error.reason()).isEqualTo(ReasonCode.MISSING_FIELD);
        assertThat(error.field()).isEqualTo("time");
    }

    @Test
    void pushCreatingABranchWithStringIdsAndMoreCommitsThanListed() {
        assertEvent(
                single("push_new_branch.json", "Push Hook"),
                EventType.PUSH,
                "2024-04-05T09:30:00Z",
                "projects/42/branches/feature/cache",
                "5",
                new PushData(
                        42,
                        5L,
                        "refs/heads/feature/cache",
                        "feature/cache",
                        ZEROS,
                        "d".repeat(40),
                        true,
                        false,
                        25,
                        List.of(
                                new CommitData(
                                        "e".repeat(40),
                                        Instant.parse("2024-04-05T08:00:00Z").toEpochMilli(),
                                        List.of("src/cache.py", "src/\u00fcml\u00e4ut.py"),
                                        List.of(),
                                        List.of()),
                                new CommitData(
                                        "d".repeat(40),
                                        Instant.parse("2024-04-05T09:30:00Z").toEpochMilli(),
                                        List.of(),
                                        List.of("src/cache.py"),
                                        List.of("old.py")))));
    }

    @Test
    void wikiPageHasNoTimestampSoTheReceiveTimeIsRequired() {
        assertEvent(
                single("wiki_page_update.json", "Wiki Page Hook"),
                EventType.WIKI_PAGE_UPDATED,
                RECEIVED.toString(),
                "projects/42/wikis/home",
                "5",
                new GenericData("wiki_page", null, 42L, null, 5L, "update", null));
        EventError error = error("wiki_page_update.json", null);
        assertThat(error.reason()).isEqualTo(ReasonCode.MISSING_FIELD);
        assertThat(error.field()).isEqualTo("time");
        assertThat(error.message()).contains("wiki_page");
    }

    @Test
    void receiveTimeIsOptionalWhenThePayloadDatesTheEvent() {
        CloudEvent event = adapter.convert(fixture("mr_open.json"), null, UUID, null)
                .events()
                .get(0);
        assertThat(event.time()).isEqualTo(Instant.parse("2024-03-01T09:00:00Z"));
        assertThat(event.recordedTime()).isNull();
    }

    // ------------------------------------------------------------------ errors: exit 3 vs exit 2

    @Test
    void knownKindWithoutCanonicalTypeIsUnsupported() {
        Conversion conversion = adapter.convert(fixture("project_destroy.json"), "System Hook", null, RECEIVED);
        assertThat(conversion.unsupported()).isTrue();
        assertThat(conversion.error().reason()).isEqualTo(ReasonCode.UNSUPPORTED_KIND);
        assertThat(conversion.error().field()).isEqualTo("event_name");
    }

    @Test
    void testDeliveriesAreUnsupportedWhateverTheBody() {
        Conversion conversion = adapter.convert(fixture("mr_open.json"), "Test Hook", UUID, RECEIVED);
        assertThat(conversion.unsupported()).isTrue();
        assertThat(conversion.error().reason()).isEqualTo(ReasonCode.UNSUPPORTED_ACTION);
    }

    @Test
    void bodyWithNoKindAtAllIsAnErrorNotUnsupported() {
        Conversion conversion = adapter.convert(fixture("no_kind.json"), null, null, RECEIVED);
        assertThat(conversion.unsupported()).isFalse();
        assertThat(conversion.error().reason()).isEqualTo(ReasonCode.MISSING_FIELD);
        assertThat(conversion.error().field()).isEqualTo("object_kind");
        assertThat(conversion.error().message()).contains("neither object_kind nor event_name");
    }

    @Test
    void unrecognisedKindIsAnError() {
        Conversion conversion = adapter.convert(fixture("unknown_kind.json"), null, null, RECEIVED);
        assertThat(conversion.unsupported()).isFalse();
        assertThat(conversion.error().reason()).isEqualTo(ReasonCode.INVALID_FIELD);
        assertThat(conversion.error().field()).isEqualTo("object_kind");
        assertThat(conversion.error().message()).contains("'frobnicate'");
    }

    @Test
    void malformedBodiesAreMalformedJson() {
        EventError truncated = error("malformed.json", RECEIVED);
        assertThat(truncated.reason()).isEqualTo(ReasonCode.MALFORMED_JSON);
        assertThat(truncated.message()).startsWith("not valid JSON at line ");
        for (String body : new String[] {"", "[1,2]", "\"issue\"", "null", "{} {}", "{\"object_kind\":\"note\"} x"}) {
            Conversion conversion = adapter.convert(body.getBytes(StandardCharsets.UTF_8), null, null, RECEIVED);
            assertThat(conversion.error().reason()).as(body).isEqualTo(ReasonCode.MALFORMED_JSON);
        }
        assertThat(adapter.convert(null, null, null, RECEIVED).error().reason()).isEqualTo(ReasonCode.MALFORMED_JSON);
    }

    @Test
    void oversizedBodiesAreRejectedAtTheLimitBoundary() {
        // A valid note whose body pads the delivery to exactly the default limit converts; one byte more does not.
        String head = "{\"object_kind\":\"note\",\"project_id\":42,\"object_attributes\":{\"id\":1,\"author_id\":5,"
                + "\"noteable_type\":\"Issue\",\"created_at\":\"2024-04-02T10:00:00Z\",\"note\":\"";
        String tail = "\"}}";
        int padding = CloudEventJson.DEFAULT_MAX_BYTES - head.length() - tail.length();
        byte[] atLimit = (head + "x".repeat(padding) + tail).getBytes(StandardCharsets.UTF_8);
        assertThat(atLimit).hasSize(1 << 20);
        Conversion fits = adapter.convert(atLimit, null, null, RECEIVED);
        assertThat(fits.isOk()).as(String.valueOf(fits.error())).isTrue();
        assertThat(fits.events().get(0).dataAs(NoteData.class).body()).hasSize(padding);

        byte[] over = (head + "x".repeat(padding + 1) + tail).getBytes(StandardCharsets.UTF_8);
        EventError error = adapter.convert(over, null, null, RECEIVED).error();
        assertThat(error.reason()).isEqualTo(ReasonCode.OVERSIZED);
        assertThat(error.message()).isEqualTo("body of 1048577 bytes exceeds the limit of 1048576 bytes");

        GitLabAdapter small = new GitLabAdapter("https://gitlab.example.com", 1000);
        assertThat(small.convert(fixture("mr_open.json"), null, null, RECEIVED)
                        .error()
                        .reason())
                .isEqualTo(ReasonCode.OVERSIZED);
        assertThat(small.convert(fixture("user_block.json"), null, null, RECEIVED)
                        .isOk())
                .isTrue();
    }
}
