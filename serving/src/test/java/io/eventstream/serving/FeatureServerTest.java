package io.eventstream.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.connectors.online.OnlineStore;
import io.eventstream.connectors.online.OnlineStores;
import io.eventstream.connectors.online.RedisServer;
import io.eventstream.connectors.reviewers.ReviewerOnlineTables;
import io.eventstream.connectors.spam.SpamOnlineReader;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.reviewers.ReviewerCountTiles;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.spam.ContentText;
import io.eventstream.features.spam.SpamFeatureEngine;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.features.spam.SpamUserState;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint over real stores (a SQLite file and a real redis-server, written through the
 * production store code), asked by a real HTTP client: answers equal the engine's values for the
 * same state, bad requests get 400 with a reason, metrics count every outcome.
 */
class FeatureServerTest {
    private static final String KEY = "serving-test-key-0123456789";
    private static final SpamJobConfig SPAM = SpamJobConfig.parse("hashing: {key: " + KEY + "}\n");
    private static final SpamFeatureSet FEATURES = new SpamFeatureSet(SPAM);
    private static final SpamFeatureEngine ENGINE = new SpamFeatureEngine(FEATURES);
    private static final ReviewerJobConfig REVIEWERS = ReviewerJobConfig.defaults();
    private static final long T0 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static RedisServer redis;
    private static SpamUserState user7;
    private static FeatureServer sqliteServer;
    private static FeatureServer redisServer;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        user7 = ENGINE.newState();
        ENGINE.apply(user7, input("a", T0, SpamInput.USER_CREATED, null));
        ENGINE.apply(user7, input("b", T0 + MINUTE, SpamInput.MEMBER_ADDED, 100L));
        ENGINE.apply(user7, note("c", T0 + 2 * MINUTE, 100L, 0));
        ENGINE.apply(user7, note("d", T0 + 3 * MINUTE, 101L, 2));
        List<Object[]> rows = new ArrayList<>();
        rows.add(ENGINE.stateRow(7, user7));

        String sqlite = "sqlite:" + dir.resolve("online.sqlite");
        redis = RedisServer.start();
        for (String uri : List.of(sqlite, redis.uri())) {
            try (OnlineStore store = OnlineStores.open(uri, SpamOnlineReader.stateTable(FEATURES))) {
                store.upsert(rows);
            }
            writeReviewerRows(uri);
        }
        Clock fixed = Clock.fixed(Instant.ofEpochMilli(T0 + 90 * MINUTE), ZoneOffset.UTC);
        sqliteServer = FeatureServer.builder()
                .spam(sqlite, SPAM)
                .reviewers(sqlite, REVIEWERS)
                .clock(fixed)
                .start("127.0.0.1", 0);
        redisServer = FeatureServer.builder()
                .spam(redis.uri(), SPAM)
                .reviewers(redis.uri(), REVIEWERS)
                .clock(fixed)
                .start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {sqliteServer, redisServer, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void spamAnswersAreTheEnginesValuesAsOfTheRequestTime() throws Exception {
        for (FeatureServer server : List.of(sqliteServer, redisServer)) {
            long at = T0 + 2 * 60 * MINUTE;
            JsonNode answer = get(server, "/v1/spam/users/7?at=" + Instant.ofEpochMilli(at), 200);
            assertThat(answer.get("user_id").asLong()).isEqualTo(7);
            assertThat(answer.get("at").asText()).isEqualTo("2024-05-01T12:00:00Z");
            assertThat(answer.get("feature_set_version").asText()).isEqualTo(FEATURES.fingerprint());
            JsonNode features = answer.get("features");
            assertThat(features).isEqualTo(tree(userColumns(ENGINE.asOf(7, user7, at))));
            // Hand-computed: both notes have left the 1h window, the sign-up was 2 hours ago.
            assertThat(features.get("notes_1h").asInt()).isZero();
            assertThat(features.get("notes_24h").asInt()).isEqualTo(2);
            assertThat(features.get("account_age_seconds").asLong()).isEqualTo(7_200);
            assertThat(features.get("seconds_since_previous_content_event").asLong())
                    .isEqualTo(7_020);

            // No "at": the server clock (T0 + 90 min).
            JsonNode now = get(server, "/v1/spam/users/7", 200);
            assertThat(now.get("at").asText()).isEqualTo("2024-05-01T11:30:00Z");
            assertThat(now.get("features").get("account_age_seconds").asLong()).isEqualTo(5_400);

            // An unknown user reads as a user without events.
            JsonNode unknown =
                    get(server, "/v1/spam/users/8?at=2024-05-01T12:00:00Z", 200).get("features");
            assertThat(unknown.get("email_domain_class").asText()).isEqualTo("unknown");
            assertThat(unknown.get("account_age_seconds").isNull()).isTrue();
            assertThat(unknown.get("notes_24h").asInt()).isZero();
        }
    }

    @Test
    void aPendingNoteGivesTheRowTheJobWillWriteForIt() throws Exception {
        String body = "https://spam.example.net and https://gitlab.example.com/x BUY";
        SpamInput pending = note("p", T0 + 4 * MINUTE, 100L, 0);
        new ContentText(SPAM.gitlabHost()).analyze(null, body, pending);
        pending.noteableType = "Issue";
        Map<String, Object> expected = new LinkedHashMap<>();
        Object[] row = ENGINE.apply(user7.copy(), pending);
        for (int i = 0; i < row.length; i++) {
            expected.put(FEATURES.featureSchema().columns().get(i).name(), row[i]);
        }
        assertThat(expected)
                .containsEntry("notes_1h", 3)
                .containsEntry("link_count", 2)
                .containsEntry("external_link_count", 1)
                .containsEntry("is_project_member", true);
        for (FeatureServer server : List.of(sqliteServer, redisServer)) {
            String post = JSON.writeValueAsString(Map.of(
                    "at",
                    "2024-05-01T10:04:00Z",
                    "event",
                    Map.of(
                            "event_id",
                            "p",
                            "content_type",
                            "note",
                            "project_id",
                            100,
                            "noteable_type",
                            "Issue",
                            "body",
                            body)));
            JsonNode answer = post(server, "/v1/spam/users/7", post, 200);
            assertThat(answer.get("features")).isEqualTo(tree(expected));

            // GET with the derived numbers instead of the text: the same row.
            String query = "/v1/spam/users/7?at=2024-05-01T10:04:00Z&event_id=p&content_type=note&project_id=100"
                    + "&noteable_type=Issue&text_length=" + pending.textLength + "&link_count=2&external_link_count=1"
                    + "&mention_count=0&uppercase_ratio=" + pending.uppercaseRatio + "&has_code_block=false&text_hash="
                    + pending.textHash;
            assertThat(get(server, query, 200).get("features")).isEqualTo(tree(expected));
        }
    }

    @Test
    void badRequestsAreAnswered400WithAReasonAndCounted() throws Exception {
        FeatureServer server = FeatureServer.builder()
                .spam("sqlite:" + dir.resolve("online.sqlite"), SPAM)
                .start("127.0.0.1", 0);
        try {
            Map<String, String> cases = new LinkedHashMap<>();
            cases.put("/v1/spam/users/abc", "user id must be an integer");
            cases.put("/v1/spam/users/7?at=yesterday", "at must be an ISO-8601 instant");
            cases.put("/v1/spam/users/7?at=2024-05-01T10:02:00Z", "before the user's last event");
            cases.put("/v1/spam/users/7?at=2024-05-01T12:00:00Z&content_type=poem", "content_type must be");
            cases.put("/v1/spam/users/7?at=2024-05-01T12:00:00Z&content_type=note&colour=red", "unknown field colour");
            cases.put(
                    "/v1/spam/users/7?at=2024-05-01T12:00:00Z&content_type=note&link_count=-1",
                    "link_count must be a count");
            cases.put("/v1/reviewers/candidates?project_id=1", "serves no reviewer candidates");
            for (Map.Entry<String, String> c : cases.entrySet()) {
                assertThat(get(server, c.getKey(), 400).get("error").asText())
                        .as(c.getKey())
                        .contains(c.getValue());
            }
            assertThat(post(server, "/v1/spam/users/7", "{not json", 400)
                            .get("error")
                            .asText())
                    .contains("not JSON");
            assertThat(post(server, "/v1/spam/users/7", "{\"when\": 1}", 400)
                            .get("error")
                            .asText())
                    .contains("unknown field when");
            get(server, "/v1/spam/users/7?at=2024-05-01T12:00:00Z", 200);
            assertThat(get(server, "/healthz", 200).get("status").asText()).isEqualTo("ok");

            String metrics = text(server, "/metrics");
            assertThat(metrics)
                    .contains("eventstream_serving_requests_total{endpoint=\"spam_user\",outcome=\"bad_request\"} 8.0")
                    .contains("eventstream_serving_requests_total{endpoint=\"spam_user\",outcome=\"ok\"} 1.0")
                    .contains(
                            "eventstream_serving_requests_total{endpoint=\"reviewer_candidates\",outcome=\"bad_request\"} 1.0")
                    .contains("eventstream_serving_request_duration_seconds_count{endpoint=\"spam_user\"} 9");
        } finally {
            server.close();
        }
    }

    @Test
    void aStoreThatGoesAwayIsAnswered503AndHealthSaysSo() throws Exception {
        RedisServer own = RedisServer.start();
        FeatureServer server = null;
        try {
            try (OnlineStore store = OnlineStores.open(own.uri(), SpamOnlineReader.stateTable(FEATURES))) {
                List<Object[]> rows = new ArrayList<>();
                rows.add(ENGINE.stateRow(7, user7));
                store.upsert(rows);
            }
            server = FeatureServer.builder().spam(own.uri(), SPAM).start("127.0.0.1", 0);
            get(server, "/v1/spam/users/7?at=2024-05-01T12:00:00Z", 200);
            own.close();
            JsonNode failed = get(server, "/v1/spam/users/7?at=2024-05-01T12:00:00Z", 503);
            assertThat(failed.get("error").asText()).startsWith("online store unavailable");
            HttpResponse<String> health = HTTP.send(
                    HttpRequest.newBuilder(uri(server, "/healthz")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("unavailable");
            assertThat(text(server, "/metrics"))
                    .contains("eventstream_serving_requests_total{endpoint=\"spam_user\",outcome=\"ok\"} 1.0")
                    .contains("eventstream_serving_requests_total{endpoint=\"spam_user\",outcome=\"unavailable\"} 1.0");
        } finally {
            if (server != null) {
                server.close();
            }
            own.close();
        }
    }

    @Test
    void reviewerCandidatesAreRankedFromTheTables() throws Exception {
        for (FeatureServer server : List.of(sqliteServer, redisServer)) {
            JsonNode answer = get(
                    server,
                    "/v1/reviewers/candidates?project_id=5&author_id=1&path=src/main/App.java"
                            + "&at=2024-05-04T10:00:00Z",
                    200);
            assertThat(answer.get("feature_set_version").asText())
                    .isEqualTo(new ReviewerFeatureSet(REVIEWERS).fingerprint());
            List<Long> ids = new ArrayList<>();
            answer.get("candidates").forEach(c -> ids.add(c.get("candidate_id").asLong()));
            assertThat(ids).containsExactly(3L, 2L); // by lookback_activity; the author (1) is left out
            JsonNode first = answer.get("candidates").get(0);
            assertThat(first.get("candidate_rank").asInt()).isEqualTo(1);
            assertThat(first.get("days_since_last_activity").asLong()).isEqualTo(3);
            assertThat(first.get("prefix_commits_90d").asInt()).isEqualTo(4 + 6); // src and src/main
            String post = "{\"project_id\": 5, \"author_id\": 1, \"paths\": [\"src/main/App.java\"], "
                    + "\"at\": \"2024-05-04T10:00:00Z\"}";
            assertThat(post(server, "/v1/reviewers/candidates", post, 200)).isEqualTo(answer);
            // A year and two days later every count's tile (T0's day) has left even the 365-day windows: the
            // non-members 2 and 3 have no lookback activity left, so there is no candidate.
            assertThat(get(
                                    server,
                                    "/v1/reviewers/candidates?project_id=5&author_id=1&path=src/main/App.java"
                                            + "&at=2025-05-03T10:00:00Z",
                                    200)
                            .get("candidates"))
                    .isEmpty();
            assertThat(get(server, "/v1/reviewers/candidates?author_id=1", 400)
                            .get("error")
                            .asText())
                    .isEqualTo("project_id is required");
        }
    }

    // ------------------------------------------------------------------ data

    private static void writeReviewerRows(String uri) {
        ReviewerFeatureSet set = new ReviewerFeatureSet(REVIEWERS);
        try (OnlineStore users = OnlineStores.open(uri, ReviewerOnlineTables.userTable(set));
                OnlineStore paths = OnlineStores.open(uri, ReviewerOnlineTables.pathTable(set))) {
            users.upsert(List.of(
                    row(set.onlineUserSchema(), Map.of("project_id", 5L, "user_id", 1L, "lookback_activity", 9)),
                    row(set.onlineUserSchema(), Map.of("project_id", 5L, "user_id", 2L, "lookback_activity", 2)),
                    row(set.onlineUserSchema(), Map.of("project_id", 5L, "user_id", 3L, "lookback_activity", 5))));
            paths.upsert(List.of(
                    row(
                            set.onlinePathSchema(),
                            Map.of("project_id", 5L, "user_id", 3L, "path_prefix", "src", "commits_90d", 4)),
                    row(
                            set.onlinePathSchema(),
                            Map.of("project_id", 5L, "user_id", 3L, "path_prefix", "src/main", "commits_90d", 6))));
        }
    }

    /**
     * A row of the schema: the given values, the rest 0 / false / null; times T0; count_tiles
     * holding the row's counts at T0 (daily tiles, 365-day windows).
     */
    private static Object[] row(DatasetSchema schema, Map<String, Object> given) {
        ReviewerFeatureSet set = new ReviewerFeatureSet(REVIEWERS);
        List<String> counts = schema.name().equals(ReviewerFeatureSet.ONLINE_USER_TABLE)
                ? set.onlineUserCountColumns()
                : set.onlinePathCountColumns();
        int[] countValues = counts.stream()
                .mapToInt(c -> (Integer) given.getOrDefault(c, 0))
                .toArray();
        Map<String, Object> values = new HashMap<>(given);
        values.put(
                ReviewerFeatureSet.COUNT_TILES,
                ReviewerCountTiles.singleTile(T0, 86_400_000L, 365 * 86_400_000L, countValues)
                        .encode());
        Object[] row = new Object[schema.columns().size()];
        for (int i = 0; i < row.length; i++) {
            Column c = schema.columns().get(i);
            Object v = values.get(c.name());
            if (v == null && c.name().equals("last_activity_time")) {
                v = T0;
            }
            if (v == null && !c.nullable()) {
                v = switch (c.type()) {
                    case INT -> 0;
                    case LONG, TIMESTAMP_MILLIS -> T0;
                    case BOOLEAN -> false;
                    case DOUBLE -> 0.0;
                    case STRING -> "";
                };
            }
            row[i] = v;
        }
        return row;
    }

    private static SpamInput input(String id, long time, int kind, Long project) {
        SpamInput input = new SpamInput();
        input.eventId = id;
        input.timeMillis = time;
        input.userId = 7;
        input.kind = kind;
        input.projectId = project;
        if (kind == SpamInput.USER_CREATED) {
            input.emailDomainClass = "webmail";
            input.emailDomainHash = "0123456789abcdef";
        }
        return input;
    }

    private static SpamInput note(String id, long time, Long project, int links) {
        SpamInput input = input(id, time, SpamInput.NOTE_CREATED, project);
        input.linkCount = links;
        input.textHash = links;
        input.noteableType = "Issue";
        return input;
    }

    /** As the JSON parser reads it back (small longs become ints). */
    private static JsonNode tree(Object value) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(value));
    }

    private static Map<String, Object> userColumns(Object[] row) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Column column : FEATURES.onlineSchema().columns()) {
            values.put(column.name(), row[FEATURES.featureSchema().indexOf(column.name())]);
        }
        return values;
    }

    // ------------------------------------------------------------------ HTTP

    private static JsonNode get(FeatureServer server, String path, int status) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri(server, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("GET %s: %s", path, response.body())
                .isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    private static JsonNode post(FeatureServer server, String path, String body, int status) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri(server, path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("POST %s %s: %s", path, body, response.body())
                .isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static String text(FeatureServer server, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri(server, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static URI uri(FeatureServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port()
                + path.replace(" ", URLEncoder.encode(" ", StandardCharsets.UTF_8)));
    }
}
