package io.eventstream.features.reviewers;

import static io.eventstream.features.reviewers.ReviewerTestEvents.DAY;
import static io.eventstream.features.reviewers.ReviewerTestEvents.T0;
import static io.eventstream.features.reviewers.ReviewerTestEvents.approve;
import static io.eventstream.features.reviewers.ReviewerTestEvents.member;
import static io.eventstream.features.reviewers.ReviewerTestEvents.merged;
import static io.eventstream.features.reviewers.ReviewerTestEvents.note;
import static io.eventstream.features.reviewers.ReviewerTestEvents.open;
import static io.eventstream.features.reviewers.ReviewerTestEvents.push;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.OrderedInput;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed feature values, labels and online rows on a small story, and state cleanup: a merged
 * MR's state goes away after the grace period, tiles expire with the longest window, an idle project
 * is cleared, and expiry never changes a value.
 */
class ReviewerFeatureEngineTest {
    private static final long ALICE = 1;
    private static final long BOB = 2;
    private static final long CAROL = 3;
    private static final long DAVE = 4;

    private final ReviewerFeatureSet featureSet = new ReviewerFeatureSet(ReviewerJobConfig.defaults());
    private final ReviewerFeatureEngine engine = new ReviewerFeatureEngine(featureSet);
    private final DatasetSchema candidates = featureSet.candidateSchema();
    private final ReviewerProjectState state = engine.newState();
    private final List<Object[]> labels = new ArrayList<>();
    private final List<Object[]> userRows = new ArrayList<>();
    private final List<Object[]> pathRows = new ArrayList<>();

    private List<Object[]> apply(CloudEvent event) {
        ReviewerOutput output = engine.apply(state, ReviewerInputs.from(event));
        labels.addAll(output.labelRows());
        userRows.addAll(output.onlineUserRows());
        pathRows.addAll(output.onlinePathRows());
        for (Object[] row : output.candidateRows()) {
            assertThat(candidates.check(row)).isNull();
        }
        return output.candidateRows();
    }

    private List<String> named(Object[] row, String... columns) {
        List<String> values = new ArrayList<>();
        for (String column : columns) {
            values.add(entry(column, row[candidates.indexOf(column)]));
        }
        return values;
    }

    private static String entry(String column, Object value) {
        return column + "=" + value;
    }

    private List<Object[]> story() {
        apply(member("m1", T0, BOB, 30));
        apply(member("m2", T0, CAROL, 40));
        apply(push("p1", T0 + 1, ALICE, "feature", true, List.of(List.of("src/a/A.java"))));
        apply(push("p2", T0 + DAY, DAVE, "main", false, List.of(List.of("src/a/A.java", "src/b/B.java"))));
        return apply(open("o1", T0 + 2 * DAY, 1, ALICE, "feature", List.of(BOB)));
    }

    @Test
    void candidatesAreMembersAndRecentlyActiveUsersRankedByActivity() {
        List<Object[]> rows = story();
        assertThat(rows).extracting(r -> r[candidates.indexOf("candidate_id")]).containsExactly(DAVE, BOB, CAROL);
        assertThat(named(
                        rows.get(0),
                        "candidate_rank",
                        "is_member",
                        "access_level",
                        "lookback_activity",
                        "days_since_last_activity",
                        "open_review_load",
                        "path_commits_90d",
                        "path_commits_365d",
                        "prefix_commits_90d",
                        "changed_path_count",
                        "path_prefix_count",
                        "author_tenure_days",
                        "trigger"))
                .containsExactly(
                        entry("candidate_rank", 1),
                        entry("is_member", false),
                        entry("access_level", null),
                        entry("lookback_activity", 1),
                        entry("days_since_last_activity", 1L),
                        entry("open_review_load", 0),
                        entry("path_commits_90d", 1),
                        entry("path_commits_365d", 1),
                        // Dave's one commit touches prefixes src, src/a, src/b; the MR has src and src/a.
                        entry("prefix_commits_90d", 2),
                        entry("changed_path_count", 1),
                        entry("path_prefix_count", 2),
                        entry("author_tenure_days", 1L),
                        entry("trigger", "opened"));
        assertThat(named(
                        rows.get(1),
                        "candidate_rank",
                        "is_member",
                        "access_level",
                        "lookback_activity",
                        "days_since_last_activity",
                        "open_review_load",
                        "reviews_30d"))
                .containsExactly(
                        entry("candidate_rank", 2),
                        entry("is_member", true),
                        entry("access_level", 30),
                        entry("lookback_activity", 0),
                        entry("days_since_last_activity", null),
                        entry("open_review_load", 1),
                        entry("reviews_30d", 0));
        assertThat(labels).extracting(l -> l[4] + ":" + l[2]).containsExactly("assigned_reviewer:2");
    }

    @Test
    void reviewsApprovalsAndInteractionsWithTheAuthorAreCounted() {
        story();
        apply(note("n1", T0 + 3 * DAY, 1, BOB));
        apply(approve("a1", T0 + 3 * DAY + 1, 1, ALICE, BOB, List.of(BOB)));
        apply(approve("a2", T0 + 3 * DAY + 2, 1, ALICE, BOB, List.of(BOB))); // GitLab's "approved" after "approval"
        apply(merged("mg", T0 + 4 * DAY, 1, ALICE, List.of(BOB)));
        List<Object[]> rows = apply(open("o2", T0 + 5 * DAY, 2, BOB, "fix", List.of(ALICE)));
        assertThat(rows).extracting(r -> r[candidates.indexOf("candidate_id")]).containsExactly(DAVE, ALICE, CAROL);
        assertThat(named(
                        rows.get(1),
                        "reviews_by_author_365d",
                        "reviews_of_author_365d",
                        "open_review_load",
                        "lookback_activity",
                        "days_since_last_activity"))
                .containsExactly(
                        entry("reviews_by_author_365d", 1),
                        entry("reviews_of_author_365d", 0),
                        entry("open_review_load", 1),
                        entry("lookback_activity", 1),
                        entry("days_since_last_activity", 4L));
        assertThat(labels)
                .extracting(l -> l[4] + ":" + l[2] + "@" + l[1])
                .containsExactly("assigned_reviewer:2@1", "reviewed:2@1", "approved:2@1", "assigned_reviewer:1@2");
        // Bob's online row after the merge: one review, one approval, one comment, no load.
        Object[] bob = userRows.stream()
                .filter(r -> r[1].equals(BOB))
                .reduce((a, b) -> b)
                .orElseThrow();
        DatasetSchema online = featureSet.onlineUserSchema();
        assertThat(bob[online.indexOf("event_time")]).isEqualTo(T0 + 4 * DAY);
        assertThat(bob[online.indexOf("open_review_load")]).isEqualTo(0);
        assertThat(bob[online.indexOf("reviews_30d")]).isEqualTo(1);
        assertThat(bob[online.indexOf("approvals_365d")]).isEqualTo(1);
        assertThat(bob[online.indexOf("mr_comments_90d")]).isEqualTo(1);
        assertThat(bob[online.indexOf("last_activity_time")]).isEqualTo(T0 + 3 * DAY + 1);
        // Bob's review of MR 1 counts for its prefixes src and src/a.
        assertThat(pathRows)
                .extracting(r -> r[1] + " " + r[2] + " "
                        + r[featureSet.onlinePathSchema().indexOf("reviews_365d")])
                .contains("2 src 1", "2 src/a 1");
        assertThat(featureSet.onlinePathSchema().columns())
                .extracting(c -> c.name())
                .containsExactly(
                        "project_id",
                        "user_id",
                        "path_prefix",
                        "event_time",
                        "commits_90d",
                        "commits_365d",
                        "reviews_90d",
                        "reviews_365d",
                        "count_tiles");
    }

    @Test
    void aMergedMrIsForgottenAfterTheGracePeriodAndTilesWithTheLongestWindow() {
        story();
        apply(merged("mg", T0 + 4 * DAY, 1, ALICE, List.of(BOB)));
        long grace = featureSet.config().mergeRequestGraceMillis();
        assertThat(engine.expire(state, T0 + 4 * DAY + grace - 1)).isFalse();
        assertThat(state.mergeRequests).containsKey(1L);
        assertThat(engine.expiryWatermark(state)).isEqualTo(T0 + 4 * DAY + grace - 1 + DAY);
        assertThat(engine.expire(state, T0 + 4 * DAY + grace)).isFalse();
        assertThat(state.mergeRequests).doesNotContainKey(1L);

        long ttl = featureSet.config().stateTtlMillis();
        assertThat(ttl).isEqualTo(366 * DAY);
        // The last push was at T0 + 1d: a year and two days later no window reaches its tiles.
        assertThat(engine.expire(state, T0 + DAY + 366 * DAY)).isFalse();
        assertThat(state.sizeSummary())
                .contains("pathKeys=0", "pathTileEntries=0", "prefixTileEntries=0")
                .contains("users=3"); // Bob and Carol are members; Alice's record (MR author) is still within state.ttl
        assertThat(engine.expire(state, T0 + 4 * DAY + ttl - 1)).isFalse();
        assertThat(engine.expiryWatermark(state)).isEqualTo(T0 + 4 * DAY + ttl);
        assertThat(engine.expire(state, T0 + 4 * DAY + ttl))
                .as("idle for state.ttl: clear the project")
                .isTrue();
    }

    @Test
    void expiryAndRoundTripsNeverChangeValues() {
        List<CloudEvent> events = List.of(
                member("m1", T0, BOB, 30),
                member("m2", T0, CAROL, 40),
                push("p1", T0 + 1, ALICE, "feature", true, List.of(List.of("src/a/A.java"))),
                open("o1", T0 + 2 * DAY, 1, ALICE, "feature", List.of(BOB)),
                note("n1", T0 + 3 * DAY, 1, BOB),
                merged("mg", T0 + 4 * DAY, 1, ALICE, List.of(BOB)),
                note("late-note", T0 + 20 * DAY, 1, CAROL), // after the grace: MR 1 is gone, no review
                ReviewerTestEvents.memberRemoved("r", T0 + 30 * DAY, CAROL),
                open("o2", T0 + 40 * DAY, 2, BOB, "fix", List.of()));
        List<List<Object[]>> plain = new ArrayList<>();
        List<List<Object[]>> expired = new ArrayList<>();
        ReviewerProjectState a = engine.newState();
        ReviewerProjectState b = engine.newState();
        for (CloudEvent event : events) {
            plain.add(engine.apply(a, ReviewerInputs.from(event)).candidateRows());
            expired.add(engine.apply(b, ReviewerInputs.from(event)).candidateRows());
            assertThat(engine.expire(b, event.timeMillis())).isFalse();
            b = ReviewerFeatureEngineReferenceTest.roundTrip(b);
        }
        for (int i = 0; i < plain.size(); i++) {
            assertThat(expired.get(i)).as("event %d", i).containsExactlyElementsOf(plain.get(i));
        }
        Object[] carolRow = plain.get(8).stream()
                .filter(r -> r[candidates.indexOf("candidate_id")].equals(CAROL))
                .findFirst()
                .orElseThrow();
        assertThat(named(carolRow, "is_member", "access_level", "reviews_30d", "mr_comments_30d", "lookback_activity"))
                .containsExactly(
                        entry("is_member", false),
                        entry("access_level", null),
                        entry("reviews_30d", 0),
                        entry("mr_comments_30d", 1),
                        entry("lookback_activity", 1));
    }

    @Test
    void aCopyIsIndependent() {
        story();
        ReviewerProjectState copy = state.copy();
        assertThat(copy).isEqualTo(state);
        apply(note("n1", T0 + 3 * DAY, 1, BOB));
        assertThat(copy).isNotEqualTo(state);
        assertThat(copy.mergeRequests.get(1L).reviewed.size()).isZero();
    }

    /**
     * {@link ReviewerState#copy} (how the job moves a key's state between its two layouts) leaves a state
     * that goes on exactly as the original, indexes included, and shares nothing with it: after the copy,
     * each later event is applied to the original, then to the copy, and their outputs are the same.
     */
    @Test
    void aStateCopiedIntoAnotherStoreGoesOnAsTheOriginalAndSharesNothing() {
        List<ReviewerInput> inputs = new ArrayList<>();
        for (CloudEvent event : new RandomReviewerEvents(5, 20, 1, 0, DAY / 24, DAY / 4, DAY).events(1_200)) {
            ReviewerInput input = ReviewerInputs.from(event);
            if (input != null) {
                inputs.add(input);
            }
        }
        inputs.sort(OrderedInput::compareOrder);
        int half = inputs.size() / 2;
        ReviewerProjectState original = engine.newState();
        for (ReviewerInput input : inputs.subList(0, half)) {
            engine.apply(original, input);
        }
        ReviewerProjectState copied = new ReviewerProjectState();
        ReviewerState.copy(original, copied);
        assertThat(copied).isEqualTo(original);
        // Records whose later updates are the same assignment in both states would not show a shared object.
        original.users.forEach((id, record) -> assertThat(copied.users.get(id)).isNotSameAs(record));
        original.mergeRequests.forEach(
                (iid, record) -> assertThat(copied.mergeRequests.get(iid)).isNotSameAs(record));
        original.branches.forEach(
                (name, record) -> assertThat(copied.branches.get(name)).isNotSameAs(record));
        assertThat(copied.header()).isNotSameAs(original.header());
        long rows = 0;
        for (ReviewerInput input : inputs.subList(half, inputs.size())) {
            ReviewerOutput expected = engine.apply(original, input);
            ReviewerOutput actual = engine.apply(copied, input);
            assertThat(actual.candidateRows()).as(input.eventId).containsExactlyElementsOf(expected.candidateRows());
            assertThat(actual.labelRows()).as(input.eventId).containsExactlyElementsOf(expected.labelRows());
            assertThat(actual.onlineUserRows()).as(input.eventId).containsExactlyElementsOf(expected.onlineUserRows());
            rows += expected.candidateRows().size();
        }
        assertThat(rows).as("candidate rows after the copy").isGreaterThan(100);
        assertThat(copied).isEqualTo(original);
    }

    /**
     * The ranking's view of the users ({@link ReviewerState#usersToRank}) is read-only: the Flink job
     * serves it from a cache whose records may be shared with a checkpoint being written (the heap backend
     * copies an entry when the job reads or writes it, not the cache's reference to it), so a change made
     * through it could reach a checkpoint taken before the event that made it: restored, such a state holds
     * activity from after its checkpoint. Over half a year of random events the records handed out stay
     * unchanged, byte for byte (the lookback cache included), through every later event.
     */
    @Test
    void theRankingNeverChangesTheRecordsItIsHanded() throws IOException {
        Map<ReviewerState.UserRecord, byte[]> handedOut = new IdentityHashMap<>();
        Map<Long, ReviewerState> states = new HashMap<>();
        List<ReviewerInput> inputs = new ArrayList<>();
        for (CloudEvent event : new RandomReviewerEvents(11, 20, 2, 0, DAY / 24, DAY / 4, DAY).events(1_500)) {
            ReviewerInput input = ReviewerInputs.from(event);
            if (input != null) {
                inputs.add(input);
            }
        }
        inputs.sort(OrderedInput::compareOrder);
        long ranked = 0;
        for (ReviewerInput input : inputs) {
            ReviewerState state = states.computeIfAbsent(input.projectId, p -> cachingRankedUsers(handedOut));
            engine.apply(state, input);
            for (Map.Entry<ReviewerState.UserRecord, byte[]> entry : handedOut.entrySet()) {
                assertThat(bytes(entry.getKey()))
                        .as("a ranked record after event %s", input.eventId)
                        .isEqualTo(entry.getValue());
            }
            ranked = Math.max(ranked, handedOut.size());
            handedOut.clear();
        }
        assertThat(ranked).as("records ranked by one event").isGreaterThan(5);
    }

    /**
     * An in-memory state whose {@link ReviewerState#usersToRank} hands out copies of the records, like the
     * job's cache, each remembered with its bytes as handed out.
     */
    private ReviewerState cachingRankedUsers(Map<ReviewerState.UserRecord, byte[]> handedOut) {
        ReviewerProjectState stored = engine.newState();
        InvocationHandler handler = (proxy, method, args) -> {
            if (!method.getName().equals("usersToRank")) {
                try {
                    return method.invoke(stored, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
            List<Map.Entry<Long, ReviewerState.UserRecord>> copies = new ArrayList<>();
            for (Iterator<Map.Entry<Long, ReviewerState.UserRecord>> it = stored.usersToRank(); it.hasNext(); ) {
                Map.Entry<Long, ReviewerState.UserRecord> entry = it.next();
                ReviewerState.UserRecord copy = entry.getValue().copy();
                handedOut.put(copy, bytes(copy));
                copies.add(Map.entry(entry.getKey(), copy));
            }
            return copies.iterator();
        };
        return (ReviewerState) Proxy.newProxyInstance(
                ReviewerState.class.getClassLoader(), new Class<?>[] {ReviewerState.class}, handler);
    }

    private static byte[] bytes(ReviewerState.UserRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        record.write(new DataOutputStream(out));
        return out.toByteArray();
    }
}
