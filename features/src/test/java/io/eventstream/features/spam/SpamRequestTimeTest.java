package io.eventstream.features.spam;

import static io.eventstream.features.spam.TestEvents.at;
import static io.eventstream.features.spam.TestEvents.member;
import static io.eventstream.features.spam.TestEvents.note;
import static io.eventstream.features.spam.TestEvents.userCreated;
import static io.eventstream.features.spam.TestEvents.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.OrderedInput;
import io.eventstream.features.events.SpamVerdictData.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Features as of a request time from the {@code spam_user_state} row: hand-computed values for a
 * read long after the last event, and the parity guarantee on random streams (the answer for each
 * content event from the row as written before it equals the event's {@code spam_features} row).
 */
class SpamRequestTimeTest {
    private static final String KEY = "hand-computed-key-0123";
    private static final long S = 1_000;
    private static final long M = 60 * S;
    private static final long H = 60 * M;
    private static final long D = 24 * H;

    @Test
    void valuesAdvanceWithTheRequestTimeAndCountsLeaveTheirWindows() throws IOException {
        SpamJobConfig config = SpamJobConfig.parse("""
                windows:
                  1h: {length: 1h, hop: 5m}
                  2d: {length: 2d, hop: 1d}
                features:
                  notes: [1h, 2d]
                  issues: [1h]
                  merge_requests: []
                  distinct_projects: [1h]
                  links: [1h]
                  content_events: [2d]
                  text_repeat_count: [1h]
                  prior_spam_verdicts: [2d]
                state: {ttl: 3d}
                hashing: {key: %s}
                """.formatted(KEY));
        SpamFeatureSet features = new SpamFeatureSet(config);
        SpamFeatureEngine engine = new SpamFeatureEngine(features);
        SpamInputs inputs = new SpamInputs(config, KEY.getBytes(StandardCharsets.UTF_8));
        long t0 = at("2024-05-01T10:00:00Z");
        SpamUserState state = engine.newState();
        for (CloudEvent event : List.of(
                userCreated("a", t0, 7, "someone@gmail.com"),
                member("b", t0 + M, EventType.MEMBER_ADDED, 7, 100),
                note("c", t0 + 2 * M, 7, 100L, "see https://spam.example.net"),
                note("d", t0 + 3 * M, 7, 101L, "hello"),
                verdict("e", t0 + 4 * M, 7, Verdict.BLOCK))) {
            engine.apply(state, inputs.from(event));
        }
        SpamUserState stored =
                SpamUserState.fromBytes(Base64.getDecoder().decode((String) engine.stateRow(7, state)[7]));
        assertThat(stored).isEqualTo(state);

        // 2 hours after sign-up: the 1h windows are empty, the 2d ones still hold both notes.
        long t = t0 + 2 * H;
        Map<String, Object> at2h = named(features.featureSchema(), engine.asOf(7, stored, t));
        assertThat(at2h)
                .containsEntry("event_time", t)
                .containsEntry("user_id", 7L)
                .containsEntry("account_age_seconds", 7_200L)
                .containsEntry("seconds_since_previous_content_event", 2 * 3_600L - 180L)
                .containsEntry("email_domain_class", "webmail")
                .containsEntry("member_project_count", 1)
                .containsEntry("notes_1h", 0)
                .containsEntry("notes_2d", 2)
                .containsEntry("issues_1h", 0)
                .containsEntry("distinct_projects_1h", 0)
                .containsEntry("links_1h", 0)
                .containsEntry("content_events_2d", 2)
                .containsEntry("prior_spam_verdicts_2d", 1)
                .containsEntry("text_repeat_count_1h", null)
                .containsEntry("event_id", null)
                .containsEntry("is_project_member", null);

        // 10 minutes after sign-up: the 1h window (from 09:10) still holds both notes, two projects, one link.
        Map<String, Object> at10m = named(features.featureSchema(), engine.asOf(7, stored, t0 + 10 * M));
        assertThat(at10m)
                .containsEntry("notes_1h", 2)
                .containsEntry("distinct_projects_1h", 2)
                .containsEntry("links_1h", 1)
                .containsEntry("account_age_seconds", 600L)
                .containsEntry("seconds_since_previous_content_event", 420L);

        // Three days and a millisecond after the last event the job forgets the user: defaults.
        Map<String, Object> expired = named(features.featureSchema(), engine.asOf(7, stored, t0 + 4 * M + 3 * D + 1));
        assertThat(expired)
                .containsEntry("account_age_seconds", null)
                .containsEntry("email_domain_class", "unknown")
                .containsEntry("member_project_count", 0)
                .containsEntry("seconds_since_previous_content_event", null)
                .containsEntry("notes_2d", 0)
                .containsEntry("prior_spam_verdicts_2d", 0);

        // With the pending note: the row the job writes for it, and the stored state is left alone.
        SpamInput pending = inputs.from(note("p", t, 7, 100L, "hello"));
        Map<String, Object> withNote = named(features.featureSchema(), engine.asOf(stored, pending));
        assertThat(withNote)
                .containsEntry("event_id", "p")
                .containsEntry("notes_1h", 1)
                .containsEntry("notes_2d", 3)
                .containsEntry("distinct_projects_1h", 1)
                .containsEntry("text_repeat_count_1h", 1)
                .containsEntry("is_project_member", true)
                .containsEntry("seconds_since_previous_content_event", 7_020L);
        assertThat(stored).isEqualTo(state);
        SpamUserState applied = state.copy();
        assertThat(engine.apply(applied, pending)).isEqualTo(engine.asOf(stored, pending));

        assertThatThrownBy(() -> engine.asOf(7, stored, t0 + 4 * M - 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before the user's last event");
        SpamInput verdictInput = inputs.from(verdict("v", t, 7, Verdict.BLOCK));
        assertThatThrownBy(() -> engine.asOf(stored, verdictInput))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be an issue, note or merge request");
    }

    @Test
    void everyContentEventReadsAsItsRowFromTheStateWrittenBeforeIt() throws IOException {
        SpamFeatureSet features = new SpamFeatureSet(SpamJobConfig.defaults());
        SpamFeatureEngine engine = new SpamFeatureEngine(features);
        SpamInputs inputs =
                new SpamInputs(RandomSpamEvents.HOST, SpamFeatureEngineReferenceTest.KEY, EmailDomains.shipped());
        List<SpamInput> ordered = new ArrayList<>();
        for (CloudEvent event :
                new RandomSpamEvents(11, 6, 5, 0, 0, 1, 999, 10 * S, M, 5 * M, H, 6 * H, D, 45 * D).events(6_000)) {
            SpamInput input = inputs.from(event);
            if (input != null) {
                ordered.add(input);
            }
        }
        ordered.sort(OrderedInput::compareOrder);
        Parity parity = parity(engine, ordered);
        assertThat(parity.checked()).isGreaterThan(2_000);
        // A user's events at one millisecond are written as one row (the state after the last of
        // them), so the later content events of such a group cannot be read on their own.
        assertThat(parity.sameMillisecond()).isEqualTo(expectedSameMillisecond(ordered));
        assertThat(parity.sameMillisecond()).isPositive();
        assertThat(parity.noRow()).isPositive(); // first events of users: read from an empty state
    }

    record Parity(int checked, int sameMillisecond, int noRow) {}

    /**
     * Runs the engine like the job (one row per user and event time, written after that time's
     * events) and, before each content event, reads its row from the last written state row.
     */
    static Parity parity(SpamFeatureEngine engine, List<SpamInput> ordered) throws IOException {
        Map<Long, SpamUserState> states = new HashMap<>();
        Map<Long, String> written = new HashMap<>();
        Map<Long, Long> lastTime = new HashMap<>();
        Set<Long> touched = new HashSet<>();
        int checked = 0;
        int sameMillisecond = 0;
        int noRow = 0;
        DatasetSchema schema = engine.featureSet().featureSchema();
        for (int i = 0; i < ordered.size(); i++) {
            SpamInput input = ordered.get(i);
            SpamUserState state = states.computeIfAbsent(input.userId, u -> engine.newState());
            boolean groupStarted = Long.valueOf(input.timeMillis).equals(lastTime.get(input.userId));
            Object[] expected = null;
            if (input.isContent() && groupStarted) {
                sameMillisecond++;
            } else if (input.isContent()) {
                String encoded = written.get(input.userId);
                SpamUserState stored = encoded == null
                        ? new SpamUserState()
                        : SpamUserState.fromBytes(Base64.getDecoder().decode(encoded));
                noRow += encoded == null ? 1 : 0;
                expected = engine.asOf(stored, input);
            }
            Object[] row = engine.apply(state, input);
            lastTime.put(input.userId, input.timeMillis);
            if (expected != null) {
                if (!Arrays.equals(expected, row)) {
                    throw new AssertionError("event " + input.eventId + ": read " + named(schema, expected)
                            + "\nbut the job's row is " + named(schema, row));
                }
                checked++;
            }
            touched.add(input.userId);
            boolean lastOfTime = i + 1 == ordered.size() || ordered.get(i + 1).timeMillis > input.timeMillis;
            if (lastOfTime) {
                for (long user : touched) {
                    written.put(user, (String) engine.stateRow(user, states.get(user))[7]);
                }
                touched.clear();
            }
        }
        return new Parity(checked, sameMillisecond, noRow);
    }

    /** Content events preceded by an event of the same user at the same millisecond, counted directly. */
    private static int expectedSameMillisecond(List<SpamInput> ordered) {
        int count = 0;
        for (int i = 0; i < ordered.size(); i++) {
            SpamInput e = ordered.get(i);
            for (int j = i - 1; j >= 0 && ordered.get(j).timeMillis == e.timeMillis; j--) {
                if (e.isContent() && ordered.get(j).userId == e.userId) {
                    count++;
                    break;
                }
            }
        }
        return count;
    }

    static Map<String, Object> named(DatasetSchema schema, Object[] row) {
        Map<String, Object> named = new java.util.LinkedHashMap<>();
        for (int i = 0; i < row.length; i++) {
            named.put(schema.columns().get(i).name(), row[i]);
        }
        return named;
    }
}
