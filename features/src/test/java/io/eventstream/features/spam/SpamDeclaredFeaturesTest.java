package io.eventstream.features.spam;

import static io.eventstream.features.spam.TestEvents.at;
import static io.eventstream.features.spam.TestEvents.event;
import static io.eventstream.features.spam.TestEvents.issue;
import static io.eventstream.features.spam.TestEvents.note;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.config.SpamWindowedFeature;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.IssueData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The two features of docs/spam-features.md "Adding a feature", each one declaration in
 * {@link SpamWindowedFeature} plus a YAML line: {@code mentions} (a sum of mention_count over
 * content events) and {@code issues_closed} (a count of issue.closed events). Off by default; a
 * configuration that lists windows for them gets their columns, computed by the engine as the
 * naive reference computes them from the declarations.
 */
class SpamDeclaredFeaturesTest {
    private static final long M = 60_000;
    private static final long H = 60 * M;
    private static final long T0 = at("2026-03-02T10:00:00Z");
    private static final Path PYTHON_CASES = Path.of("..", "notebooks", "tests", "spam_state_cases.json");
    private static final String ENABLED = """
            gitlab: {host: gitlab.example.com}
            features:
              mentions: [1h]
              issues_closed: [24h]
            """;

    @Test
    void offByDefaultSoTheDefaultDefinitionDoesNotChange() {
        SpamFeatureSet defaults = new SpamFeatureSet(SpamJobConfig.defaults());
        assertThat(names(defaults.featureSchema())).doesNotContain("mentions_1h", "issues_closed_24h");
        assertThat(featureKeys(defaults)).doesNotContain("mentions", "issues_closed");
        assertThat(SpamFeatureSpec.kindsRead(SpamJobConfig.defaults()) & SpamFeatureSpec.kinds(SpamInput.ISSUE_CLOSED))
                .isZero();
        // Not even reduced: closing issues neither keeps a user's state alive nor writes state rows.
        CloudEvent closed = closed("c1", T0, closedIssue(7L, 8L));
        assertThat(new SpamInputs(SpamJobConfig.defaults(), SpamFeatureEngineReferenceTest.KEY).from(closed))
                .isNull();
        SpamInput input = new SpamInputs(SpamJobConfig.parse(ENABLED), SpamFeatureEngineReferenceTest.KEY).from(closed);
        assertThat(input.kind).isEqualTo(SpamInput.ISSUE_CLOSED);
        assertThat(input.userId).isEqualTo(7L);
    }

    @Test
    void oneYamlLineEachAddsTheirColumnsToTheDatasetAndTheOnlineTable() {
        SpamFeatureSet featureSet = new SpamFeatureSet(SpamJobConfig.parse(ENABLED));
        List<String> features = names(featureSet.featureSchema());
        assertThat(features.subList(features.size() - 2, features.size()))
                .containsExactly("mentions_1h", "issues_closed_24h");
        List<String> online = names(featureSet.onlineSchema());
        assertThat(online.subList(online.size() - 2, online.size()))
                .containsExactly("mentions_1h", "issues_closed_24h");
        JsonNode definedFeatures = definition(featureSet).get("features");
        assertThat(definedFeatures.get("mentions").toString()).isEqualTo("[\"1h\"]");
        assertThat(definedFeatures.get("issues_closed").toString()).isEqualTo("[\"24h\"]");
        assertThat(featureSet.fingerprint()).isNotEqualTo(new SpamFeatureSet(SpamJobConfig.defaults()).fingerprint());
    }

    @Test
    void handComputedRows() {
        SpamFeatureSet featureSet = new SpamFeatureSet(SpamJobConfig.parse(ENABLED));
        List<CloudEvent> events = handEvents();
        SpamInputs inputs = new SpamInputs(featureSet.config(), SpamFeatureEngineReferenceTest.KEY);
        SpamFeatureEngine engine = new SpamFeatureEngine(featureSet);
        SpamUserState user7 = engine.newState();
        SpamUserState user9 = engine.newState();
        List<Object[]> rows = new ArrayList<>();
        for (CloudEvent e : events) {
            SpamInput input = inputs.from(e);
            Object[] row = engine.apply(input.userId == 9 ? user9 : user7, input);
            if (row != null) {
                rows.add(row);
            }
        }
        int mentions = featureSet.featureSchema().indexOf("mentions_1h");
        int closed = featureSet.featureSchema().indexOf("issues_closed_24h");
        // mentions_1h (hop 5 min): e1 2; e2 2+1; e6 3+3; e7 at 11:16 covers [10:15, 11:16]: e6 only, 3 + 0.
        assertThat(rows.stream().map(r -> r[mentions]).toList()).containsExactly(2, 3, 6, 3);
        assertThat(rows.stream().map(r -> r[closed]).toList()).containsExactly(0, 0, 2, 2);
        assertThat(engine.asOf(9, user9, T0 + H)[closed]).isEqualTo(1);
        List<Object[]> reference = new NaiveSpamReference(featureSet, inputs).featureRows(events);
        assertThat(reference).hasSameSizeAs(rows);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(reference.get(i)).isEqualTo(rows.get(i));
        }
    }

    /**
     * The cases the Python state reader is checked on (notebooks/tests/test_spam_state.py): Java
     * states after {@link #handEvents} and what {@link SpamFeatureEngine#asOf} gives at a request time,
     * without and with a pending note, under the defaults and with both features enabled. Regenerate
     * with {@code mvn -B -o -pl features test -Dtest=SpamDeclaredFeaturesTest -Dcatalogue.write=true}.
     */
    @Test
    void committedPythonStateCasesAreTheEngines() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ArrayNode sets = root.putArray("feature_sets");
        for (String yaml : List.of("gitlab: {host: gitlab.example.com}\n", ENABLED)) {
            SpamFeatureSet featureSet = new SpamFeatureSet(SpamJobConfig.parse(yaml));
            ObjectNode set = sets.addObject();
            JsonNode definition = mapper.readTree(featureSet.definitionJson());
            ObjectNode used = set.putObject("definition"); // what the Python reader reads of it
            for (String field : List.of("feature_set", "windows", "features", "state_ttl_millis")) {
                used.set(field, definition.get(field));
            }
            ArrayNode cases = set.putArray("cases");
            SpamInputs inputs = new SpamInputs(featureSet.config(), SpamFeatureEngineReferenceTest.KEY);
            SpamFeatureEngine engine = new SpamFeatureEngine(featureSet);
            Map<Long, SpamUserState> states = new TreeMap<>();
            for (CloudEvent e : handEvents()) {
                SpamInput input = inputs.from(e);
                if (input != null) {
                    engine.apply(states.computeIfAbsent(input.userId, u -> engine.newState()), input);
                }
            }
            long at = T0 + 80 * M;
            SpamInput pending = inputs.from(note("pending", at, 7, 2L, "hi @x and @y, https://a.example"));
            ObjectNode pendingNode = mapper.createObjectNode()
                    .put("event_id", pending.eventId)
                    .put("content_type", "note")
                    .put("project_id", pending.projectId)
                    .put("noteable_type", pending.noteableType)
                    .put("text_length", pending.textLength)
                    .put("link_count", pending.linkCount)
                    .put("external_link_count", pending.externalLinkCount)
                    .put("mention_count", pending.mentionCount)
                    .put("uppercase_ratio", pending.uppercaseRatio)
                    .put("has_code_block", pending.hasCodeBlock)
                    .put("text_hash", pending.textHash);
            DatasetSchema online = featureSet.onlineSchema();
            DatasetSchema features = featureSet.featureSchema();
            states.forEach((user, state) -> {
                Object[] read = engine.asOf(user, state, at);
                ObjectNode userCase = cases.addObject()
                        .put("user_id", user)
                        .put("state", Base64.getEncoder().encodeToString(state.toBytes()))
                        .put("at", at);
                ObjectNode expected = userCase.putObject("expected");
                for (Column c : online.columns()) {
                    expected.putPOJO(c.name(), read[features.indexOf(c.name())]);
                }
                if (user == 7) {
                    ObjectNode pendingCase = cases.addObject()
                            .put("user_id", user)
                            .put("state", Base64.getEncoder().encodeToString(state.toBytes()))
                            .put("at", at);
                    pendingCase.set("pending", pendingNode);
                    Object[] row = engine.asOf(state, pending);
                    ObjectNode full = pendingCase.putObject("expected");
                    for (int i = 0; i < row.length; i++) {
                        full.putPOJO(features.columns().get(i).name(), row[i]);
                    }
                }
            });
        }
        String generated = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        if (Boolean.getBoolean("catalogue.write")) {
            Files.writeString(PYTHON_CASES, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(PYTHON_CASES, StandardCharsets.UTF_8))
                .as("notebooks/tests/spam_state_cases.json is stale; regenerate it (see this test's Javadoc)")
                .isEqualTo(generated);
    }

    @Test
    void engineMatchesTheReferenceOnRandomEventsWithClosedIssues() {
        SpamFeatureSet featureSet = new SpamFeatureSet(SpamJobConfig.parse(ENABLED));
        SplittableRandom random = new SplittableRandom(15);
        List<CloudEvent> events = new ArrayList<>();
        for (CloudEvent e : new RandomSpamEvents(15, 6, 5, 0, 0, 1, 999, 10_000, M, 5 * M, H, 6 * H).events(4_000)) {
            events.add(e);
            if (e.type() == EventType.ISSUE_OPENED && random.nextInt(3) > 0) {
                IssueData opened = e.dataAs(IssueData.class);
                Long closer = random.nextBoolean() ? opened.actorId() : (Long) random.nextLong(1, 7);
                events.add(closed(
                        e.id() + "-closed",
                        e.timeMillis() + random.nextLong(0, 30 * H),
                        closedIssue(opened.authorId(), closer)));
            }
        }
        SpamInputs inputs = new SpamInputs(featureSet.config(), SpamFeatureEngineReferenceTest.KEY);
        int rows = SpamFeatureEngineReferenceTest.compare(featureSet, inputs, events, random.split());
        assertThat(rows).isGreaterThan(1_500);
        List<Object[]> reference = new NaiveSpamReference(featureSet, inputs).featureRows(events);
        int mentions = featureSet.featureSchema().indexOf("mentions_1h");
        int closed = featureSet.featureSchema().indexOf("issues_closed_24h");
        assertThat(reference.stream().filter(r -> (int) r[mentions] > 1)).hasSizeGreaterThan(100);
        assertThat(reference.stream().filter(r -> (int) r[closed] > 1)).hasSizeGreaterThan(100);
    }

    private static List<CloudEvent> handEvents() {
        return List.of(
                issue("e1", T0, 7, 1L, "Help @alice", "ping @bob"),
                note("e2", T0 + 10 * M, 7, 1L, "thanks @alice"),
                closed("e3", T0 + 20 * M, closedIssue(7L, 8L)), // user 8 closes user 7's issue: counts for 7
                closed("e4", T0 + 25 * M, closedIssue(null, 7L)), // author unknown: counts for the closer, 7
                closed("e5", T0 + 26 * M, closedIssue(9L, 7L)), // 7 closes 9's issue: counts for 9
                note("e6", T0 + 30 * M, 7, 1L, "@a @b @c"),
                note("e7", T0 + 76 * M, 7, 1L, "no mentions"));
    }

    private static IssueData closedIssue(Long author, Long actor) {
        return new IssueData(
                1L, null, 100, 1, author, actor, "t", null, "closed", false, "Issue", List.of(), List.of());
    }

    private static CloudEvent closed(String id, long time, IssueData data) {
        return event(id, time, EventType.ISSUE_CLOSED, data);
    }

    private static JsonNode definition(SpamFeatureSet featureSet) {
        try {
            return new ObjectMapper().readTree(featureSet.definitionJson());
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> featureKeys(SpamFeatureSet featureSet) {
        List<String> keys = new ArrayList<>();
        definition(featureSet).get("features").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static List<String> names(DatasetSchema schema) {
        return schema.columns().stream().map(Column::name).toList();
    }
}
