package io.eventstream.features.spam;

import static io.eventstream.features.spam.TestEvents.at;
import static io.eventstream.features.spam.TestEvents.issue;
import static io.eventstream.features.spam.TestEvents.member;
import static io.eventstream.features.spam.TestEvents.mergeRequest;
import static io.eventstream.features.spam.TestEvents.note;
import static io.eventstream.features.spam.TestEvents.userCreated;
import static io.eventstream.features.spam.TestEvents.verdict;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.SpamVerdictData.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Hand-computed cases: window edges, tile boundaries, equal timestamps, strictly-before verdicts, profile, TTL. */
class SpamFeatureEngineTest {
    private static final String KEY = "hand-computed-key-0123";
    private static final SpamJobConfig CONFIG = SpamJobConfig.parse("""
            windows:
              1h: {length: 1h, hop: 5m}
              2d: {length: 2d, hop: 1d}
            features:
              notes: [1h]
              issues: [1h]
              merge_requests: [1h]
              distinct_projects: [1h]
              links: [1h]
              content_events: [2d]
              text_repeat_count: [1h]
              prior_spam_verdicts: [1h, 2d]
            state: {ttl: 3d}
            hashing: {key: %s}
            """.formatted(KEY));
    private static final SpamFeatureSet FEATURES = new SpamFeatureSet(CONFIG);

    private final SpamFeatureEngine engine = new SpamFeatureEngine(FEATURES);
    private final SpamInputs inputs = new SpamInputs(CONFIG, KEY.getBytes(StandardCharsets.UTF_8));

    /** Applies events in the given order (already (time, id) ordered) to one state; returns the content rows. */
    private List<Object[]> run(SpamUserState state, CloudEvent... events) {
        List<Object[]> rows = new ArrayList<>();
        for (CloudEvent event : events) {
            SpamInput input = inputs.from(event);
            if (input == null) {
                continue; // not relevant to spam features
            }
            Object[] row = engine.apply(state, input);
            if (row != null) {
                assertThat(FEATURES.featureSchema().check(row)).isNull();
                rows.add(row);
            }
        }
        return rows;
    }

    private static Object value(Object[] row, String column) {
        return row[FEATURES.featureSchema().indexOf(column)];
    }

    @Test
    void windowStartIsInclusiveAndMovesByWholeHops() {
        List<Object[]> rows = run(
                new SpamUserState(),
                note("a", at("2024-03-01T09:04:59.999Z"), 1, 1L, "one"),
                note("b", at("2024-03-01T09:05:00.000Z"), 1, 1L, "two"),
                note("c", at("2024-03-01T10:07:00.000Z"), 1, 1L, "three"),
                note("d", at("2024-03-01T10:09:59.999Z"), 1, 1L, "four"),
                note("e", at("2024-03-01T10:10:00.000Z"), 1, 1L, "five"));
        // a at 09:04:59.999: window [08:00, t] -> a
        // b at 09:05:       window [08:05, t] -> a, b
        // c at 10:07:       window [09:05, t] -> b (exactly at the start), c; a is 1 ms too early
        // d at 10:09:59.999: same tile as c -> b, c, d
        // e at 10:10:       start moved one hop to 09:10 -> c, d, e
        assertThat(rows).extracting(r -> value(r, "notes_1h")).containsExactly(1, 2, 2, 3, 3);
        assertThat(rows).extracting(r -> value(r, "content_events_2d")).containsExactly(1, 2, 3, 4, 5);
        assertThat(rows)
                .extracting(r -> value(r, "seconds_since_previous_content_event"))
                .containsExactly(null, 0L, 3720L, 179L, 0L);
    }

    @Test
    void equalTimestampsAreOrderedByIdAndTheCurrentEventCounts() {
        long t = at("2024-03-01T12:00:00Z");
        List<Object[]> rows = run(
                new SpamUserState(),
                note("x1", t, 1, 1L, "Same  TEXT"),
                note("x2", t, 1, 2L, "same text"),
                issue("x3", t, 1, 1L, "Title", "https://evil.example https://gitlab.example.com/x"),
                mergeRequest("x4", t + 1, 1, 3, "same", "text"));
        assertThat(rows).extracting(r -> value(r, "notes_1h")).containsExactly(1, 2, 2, 2);
        assertThat(rows).extracting(r -> value(r, "issues_1h")).containsExactly(0, 0, 1, 1);
        assertThat(rows).extracting(r -> value(r, "merge_requests_1h")).containsExactly(0, 0, 0, 1);
        assertThat(rows).extracting(r -> value(r, "distinct_projects_1h")).containsExactly(1, 2, 2, 3);
        assertThat(rows).extracting(r -> value(r, "links_1h")).containsExactly(0, 0, 2, 2);
        // "same text" normalized equals "Same  TEXT"; title "same" + body "text" normalizes to "same text" too.
        assertThat(rows).extracting(r -> value(r, "text_repeat_count_1h")).containsExactly(1, 2, 1, 3);
        assertThat(rows)
                .extracting(r -> value(r, "seconds_since_previous_content_event"))
                .containsExactly(null, 0L, 0L, 0L);
        assertThat(rows)
                .extracting(r -> value(r, "content_type"))
                .containsExactly("note", "note", "issue", "merge_request");
        assertThat(rows).extracting(r -> value(r, "title_length")).containsExactly(null, null, 5, 4);
        assertThat(rows).extracting(r -> value(r, "external_link_count")).containsExactly(0, 0, 1, 0);
    }

    @Test
    void priorVerdictsCountOnlySpamVerdictsStrictlyBeforeTheEvent() {
        long t = at("2024-03-01T12:00:00Z");
        List<Object[]> rows = run(
                new SpamUserState(),
                verdict("v0", t - 2 * 86_400_000L - 1, 1, Verdict.BLOCK), // before the 2d window at t
                verdict("v1", t - 1, 1, Verdict.DISALLOW),
                verdict("v2", t - 1, 1, Verdict.ALLOW), // not spam: ignored
                verdict("v3", t - 1, 1, Verdict.CONDITIONAL_ALLOW), // not spam: ignored
                verdict("a", t, 1, Verdict.BLOCK), // ordered before note "b" but same time
                note("b", t, 1, 1L, "hello"),
                note("c", t + 1, 1, 1L, "hello again"));
        assertThat(rows).extracting(r -> value(r, "prior_spam_verdicts_1h")).containsExactly(1, 2);
        // 2d window at t starts at floor(t/1d)*1d - 2d = 2024-02-28T00:00Z, so v0 (2024-02-28T11:59:59.999Z) is inside.
        assertThat(rows).extracting(r -> value(r, "prior_spam_verdicts_2d")).containsExactly(2, 3);
    }

    @Test
    void profileAndMembershipAsOfTheEvent() throws Exception {
        long t = at("2024-03-01T00:00:00Z");
        SpamUserState state = new SpamUserState();
        List<Object[]> rows = run(
                state,
                note("n0", t - 1000, 7, 5L, "before sign-up is known"),
                userCreated("u", t, 7, "Someone@GMail.com"),
                member("m1", t + 1, EventType.MEMBER_ADDED, 7, 5),
                member("m2", t + 2, EventType.MEMBER_ADDED, 7, 6),
                member("m3", t + 3, EventType.MEMBER_REMOVED, 7, 6),
                note("n1", t + 90_500, 7, 5L, "in my project"),
                note("n2", t + 91_000, 7, 6L, "not my project any more"),
                note("n3", t + 92_000, 7, null, "no project"));
        assertThat(rows).extracting(r -> value(r, "account_age_seconds")).containsExactly(null, 90L, 91L, 92L);
        assertThat(rows)
                .extracting(r -> value(r, "email_domain_class"))
                .containsExactly("unknown", "webmail", "webmail", "webmail");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expectedHash = HexFormat.of()
                .formatHex(mac.doFinal("gmail.com".getBytes(StandardCharsets.UTF_8)))
                .substring(0, 16);
        assertThat(rows)
                .extracting(r -> value(r, "email_domain_hash"))
                .containsExactly(null, expectedHash, expectedHash, expectedHash);
        assertThat(rows).extracting(r -> value(r, "member_project_count")).containsExactly(0, 1, 1, 1);
        assertThat(rows).extracting(r -> value(r, "is_project_member")).containsExactly(false, true, false, null);
        assertThat(rows).extracting(r -> value(r, "project_id")).containsExactly(5L, 5L, 6L, null);
    }

    @Test
    void stateIsForgottenAfterTheTtlWhetherOrNotExpiryRan() {
        long t = at("2024-03-01T00:00:00Z");
        long ttl = 3 * 86_400_000L;
        SpamUserState state = new SpamUserState();
        run(state, userCreated("u", t, 1, "a@mailinator.com"), note("n1", t + 1, 1, 1L, "x"));
        assertThat(engine.expiryWatermark(state)).isEqualTo(t + 1 + ttl + 1);
        assertThat(engine.expire(state, t + 1 + ttl)).isFalse();
        assertThat(engine.expire(state, t + 1 + ttl + 1)).isTrue();

        // Exactly ttl after the previous event: still remembered.
        List<Object[]> kept = run(state, note("n2", t + 1 + ttl, 1, 1L, "y"));
        assertThat(value(kept.get(0), "account_age_seconds")).isEqualTo((1 + ttl) / 1000);
        assertThat(value(kept.get(0), "email_domain_class")).isEqualTo("disposable");

        // One millisecond more than ttl after the previous event: forgotten, even though expire() never cleared it.
        List<Object[]> forgotten = run(state, note("n3", t + 1 + 2 * ttl + 1, 1, 1L, "z"));
        assertThat(value(forgotten.get(0), "account_age_seconds")).isNull();
        assertThat(value(forgotten.get(0), "email_domain_class")).isEqualTo("unknown");
        assertThat(value(forgotten.get(0), "seconds_since_previous_content_event"))
                .isNull();
        assertThat(value(forgotten.get(0), "content_events_2d")).isEqualTo(1);
    }

    @Test
    void expiryDropsTilesButKeepsWhatFutureWindowsNeed() {
        long t = at("2024-03-01T00:00:00Z");
        SpamUserState state = new SpamUserState();
        for (int i = 0; i < 50; i++) {
            run(state, note("n" + (100 + i), t + i * 600_000L, 1, (long) i, "note " + i));
        }
        SpamUserState expired = state.copy();
        long watermark = t + 49 * 600_000L + 1;
        assertThat(engine.expire(expired, watermark)).isFalse();
        assertThat(expired).isNotEqualTo(state);
        assertThat(SpamFeatureEngineReferenceTest.roundTrip(expired)).isEqualTo(expired);
        CloudEvent next = note("z", watermark + 1, 1, 3L, "note 3");
        Object[] fromFull = engine.apply(state, inputs.from(next));
        Object[] fromExpired = engine.apply(expired, inputs.from(next));
        assertThat(fromExpired).isEqualTo(fromFull);
        // window [07:10, 08:10:00.002]: notes at 07:10, 07:20, ..., 08:10 (7) plus the current one
        assertThat(value(fromFull, "notes_1h")).isEqualTo(8);
    }

    @Test
    void onlineRowCarriesTheUserLevelColumnsAndTheVersion() {
        long t = at("2024-03-01T00:00:00Z");
        Object[] row = run(new SpamUserState(), note("n", t, 3, 1L, "hi")).get(0);
        Object[] online = engine.onlineRow(row);
        assertThat(FEATURES.onlineSchema().check(online)).isNull();
        assertThat(online[FEATURES.onlineSchema().indexOf("user_id")]).isEqualTo(3L);
        assertThat(online[FEATURES.onlineSchema().indexOf("event_time")]).isEqualTo(t);
        assertThat(online[FEATURES.onlineSchema().indexOf("notes_1h")]).isEqualTo(1);
    }

    @Test
    void inputsOutOfOrderNeverBreakTheState() {
        // The Flink layer orders inputs; if it ever did not, rows may be off but nothing may throw.
        List<CloudEvent> events = new RandomSpamEvents(5, 2, 3, 0, 1000, 600_000, 86_400_000L).events(2000);
        java.util.Collections.shuffle(events, new java.util.Random(5));
        java.util.Map<Long, SpamUserState> states = new java.util.HashMap<>();
        SpamInputs randomInputs = new SpamInputs(CONFIG, KEY.getBytes(StandardCharsets.UTF_8));
        int rows = 0;
        for (CloudEvent event : events) {
            SpamInput input = randomInputs.from(event);
            if (input != null) {
                Object[] row = engine.apply(states.computeIfAbsent(input.userId, u -> engine.newState()), input);
                if (row != null) {
                    assertThat(FEATURES.featureSchema().check(row)).isNull();
                    rows++;
                }
            }
        }
        assertThat(rows).isPositive();
        states.values()
                .forEach(state -> assertThat(SpamFeatureEngineReferenceTest.roundTrip(state))
                        .isEqualTo(state));
    }

    @Test
    void nonContentInputsReturnNoRow() {
        SpamUserState state = new SpamUserState();
        long t = at("2024-03-01T00:00:00Z");
        assertThat(run(
                        state,
                        userCreated("u", t, 1, null),
                        member("m", t, EventType.MEMBER_ADDED, 1, 2),
                        verdict("v", t, 1, Verdict.BLOCK)))
                .isEmpty();
        assertThat(state.isEmpty()).isFalse();
        assertThat(state.lastActivityMillis()).isEqualTo(t);
    }
}
