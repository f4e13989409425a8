package io.eventstream.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstream.connectors.online.OnlineStore;
import io.eventstream.connectors.online.OnlineStores;
import io.eventstream.connectors.spam.SpamOnlineReader;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.OrderedInput;
import io.eventstream.features.spam.NaiveSpamReference;
import io.eventstream.features.spam.SpamFeatureEngine;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.features.spam.SpamInputs;
import io.eventstream.features.spam.SpamUserState;
import io.eventstream.generator.GeneratorConfig;
import io.eventstream.generator.SyntheticEventGenerator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consistency report finds a lagging online store: a server reads a copy of
 * {@code spam_user_state} taken mid-stream while it is asked for the content events after the copy
 * (each with the event included, at the event's time); every answer is logged to Parquet. The
 * report's mismatches per feature must equal those counted here against the naive reference's
 * {@code spam_features} rows; a server on the up-to-date table gives none.
 */
class ConsistencyReportTest {
    private static final String KEY = "consistency-test-key-0123456789";
    private static final SpamJobConfig CONFIG = SpamJobConfig.parse("hashing: {key: " + KEY + "}\n");
    private static final SpamFeatureSet FEATURES = new SpamFeatureSet(CONFIG);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static List<CloudEvent> events;
    private static List<SpamInput> inputs;
    private static Map<String, Object[]> offlineRows;

    @BeforeAll
    static void generate() {
        events = SyntheticEventGenerator.generateAll(GeneratorConfig.of(33, 120, 10, 4));
        SpamInputs reduce = new SpamInputs(CONFIG, KEY.getBytes(StandardCharsets.UTF_8));
        inputs = new ArrayList<>();
        for (CloudEvent event : events) {
            SpamInput input = reduce.from(event);
            if (input != null) {
                inputs.add(input);
            }
        }
        inputs.sort(OrderedInput::compareOrder);
        offlineRows = new HashMap<>();
        for (Object[] row : new NaiveSpamReference(FEATURES, reduce).featureRows(events)) {
            offlineRows.put((String) row[0], row);
        }
    }

    @Test
    void aStoreCopiedMidStreamShowsItsLagFeatureByFeature(@TempDir Path dir) throws Exception {
        long cut = inputs.get(inputs.size() / 2).timeMillis;
        List<SpamInput> asked = inputs.stream()
                .filter(i -> i.isContent() && i.timeMillis > cut)
                .limit(300)
                .toList();
        assertThat(asked).hasSize(300);

        String lagging = "sqlite:" + dir.resolve("lagging.sqlite");
        writeStateTable(
                lagging, inputs.stream().filter(i -> i.timeMillis <= cut).toList());
        Path log = dir.resolve("served-lagging");
        List<JsonNode> answers = ask(lagging, log, asked);

        Map<String, Long> expected = new TreeMap<>();
        for (int i = 0; i < asked.size(); i++) {
            Object[] offline = offlineRows.get(asked.get(i).eventId);
            JsonNode served = answers.get(i);
            for (int c = 0; c < offline.length; c++) {
                String name = FEATURES.featureSchema().columns().get(c).name();
                JsonNode truth = JSON.readTree(JSON.writeValueAsString(offline[c]));
                expected.merge(name, truth.equals(served.get(name)) ? 0L : 1L, Long::sum);
            }
        }
        ConsistencyReport report = ConsistencyReport.spam(ParquetServedLog.readAll(log), inputs, FEATURES, 2);
        assertThat(report.requests()).isEqualTo(300);
        assertThat(report.compared()).isEqualTo(300);
        assertThat(report.skipped()).isEmpty();
        Map<String, Long> found = new TreeMap<>();
        report.features().forEach(f -> found.put(f.name(), f.mismatches()));
        assertThat(found).isEqualTo(expected);
        assertThat(expected.get("notes_24h"))
                .as("the lag shows in the day's counts")
                .isPositive();
        assertThat(expected.get("event_id")).isZero();
        assertThat(expected.get("text_length")).isZero();
        ConsistencyReport.Feature notes = report.features().stream()
                .filter(f -> f.name().equals("notes_24h"))
                .findFirst()
                .orElseThrow();
        assertThat(notes.examples()).hasSize(2);
        assertThat(notes.examples().get(0).online())
                .isNotEqualTo(notes.examples().get(0).offline());

        // The same questions to a server on the up-to-date table, asked just before each event is applied:
        // apart from events that share a millisecond with an earlier event of the user, nothing differs.
        String fresh = "sqlite:" + dir.resolve("fresh.sqlite");
        Path freshLog = dir.resolve("served-fresh");
        List<SpamInput> firstOfTheirMillisecond = new ArrayList<>();
        try (OnlineStore store = OnlineStores.open(fresh, SpamOnlineReader.stateTable(FEATURES));
                ParquetServedLog served = new ParquetServedLog(freshLog, 100, Clock.systemUTC())) {
            store.upsert(List.of());
            FeatureServer server = FeatureServer.builder().spam(fresh, CONFIG).start("127.0.0.1", 0);
            try {
                SpamFeatureEngine engine = new SpamFeatureEngine(FEATURES);
                Map<Long, SpamUserState> states = new HashMap<>();
                Map<Long, Long> last = new HashMap<>();
                java.util.Set<Long> touched = new java.util.LinkedHashSet<>();
                int next = 0;
                for (int i = 0; i < inputs.size(); i++) {
                    SpamInput input = inputs.get(i);
                    if (next < asked.size() && input == asked.get(next)) {
                        next++;
                        if (!Long.valueOf(input.timeMillis).equals(last.get(input.userId))) {
                            JsonNode answer = post(server, input);
                            served.served(
                                    FeatureServer.SPAM,
                                    String.valueOf(input.userId),
                                    input.timeMillis,
                                    JSON.convertValue(answer, Map.class),
                                    FEATURES.fingerprint());
                            firstOfTheirMillisecond.add(input);
                        }
                    }
                    SpamUserState state = states.computeIfAbsent(input.userId, u -> engine.newState());
                    engine.apply(state, input);
                    last.put(input.userId, input.timeMillis);
                    touched.add(input.userId);
                    // As the job: one row per user after all of its events at one time.
                    if (i + 1 == inputs.size() || inputs.get(i + 1).timeMillis > input.timeMillis) {
                        List<Object[]> rows = new ArrayList<>();
                        touched.forEach(user -> rows.add(engine.stateRow(user, states.get(user))));
                        store.upsert(rows);
                        touched.clear();
                    }
                }
            } finally {
                server.close();
            }
        }
        ConsistencyReport clean = ConsistencyReport.spam(ParquetServedLog.readAll(freshLog), inputs, FEATURES, 2);
        assertThat(clean.compared()).isEqualTo(firstOfTheirMillisecond.size()).isGreaterThan(250);
        assertThat(clean.mismatches()).isZero();
    }

    /** The spam_user_state rows after {@code applied}, as the job leaves them. */
    private static void writeStateTable(String uri, List<SpamInput> applied) {
        SpamFeatureEngine engine = new SpamFeatureEngine(FEATURES);
        Map<Long, SpamUserState> states = new LinkedHashMap<>();
        for (SpamInput input : applied) {
            engine.apply(states.computeIfAbsent(input.userId, u -> engine.newState()), input);
        }
        List<Object[]> rows = new ArrayList<>();
        states.forEach((user, state) -> rows.add(engine.stateRow(user, state)));
        try (OnlineStore store = OnlineStores.open(uri, SpamOnlineReader.stateTable(FEATURES))) {
            store.upsert(rows);
        }
    }

    /** Asks a server with a served log for each content event; its feature answers in order. */
    private static List<JsonNode> ask(String store, Path log, List<SpamInput> asked) throws Exception {
        List<JsonNode> answers = new ArrayList<>();
        FeatureServer server = FeatureServer.builder()
                .spam(store, CONFIG)
                .servedLog(new ParquetServedLog(log, 128, Clock.systemUTC()))
                .start("127.0.0.1", 0);
        try {
            for (SpamInput input : asked) {
                answers.add(post(server, input));
            }
        } finally {
            server.close();
        }
        return answers;
    }

    private static JsonNode post(FeatureServer server, SpamInput input) throws Exception {
        ObjectNode event = JSON.createObjectNode()
                .put("event_id", input.eventId)
                .put(
                        "content_type",
                        switch (input.kind) {
                            case SpamInput.ISSUE_OPENED -> "issue";
                            case SpamInput.NOTE_CREATED -> "note";
                            default -> "merge_request";
                        })
                .put("noteable_type", input.noteableType)
                .put("text_length", input.textLength)
                .put("link_count", input.linkCount)
                .put("external_link_count", input.externalLinkCount)
                .put("mention_count", input.mentionCount)
                .put("uppercase_ratio", input.uppercaseRatio)
                .put("has_code_block", input.hasCodeBlock)
                .put("text_hash", input.textHash);
        if (input.projectId != null) {
            event.put("project_id", input.projectId);
        }
        if (input.titleLength != null) {
            event.put("title_length", input.titleLength);
        }
        ObjectNode body = JSON.createObjectNode()
                .put("at", Instant.ofEpochMilli(input.timeMillis).toString());
        body.set("event", event);
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.port() + "/v1/spam/users/" + input.userId))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("features");
    }
}
