package io.eventstream.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstream.connectors.online.OnlineStoreException;
import io.eventstream.connectors.reviewers.ReviewerCandidateReader;
import io.eventstream.connectors.spam.SpamOnlineReader;
import io.eventstream.connectors.spam.SpamPendingEvent;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.reviewers.CandidateFeatures;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.spam.ContentText;
import io.eventstream.features.spam.SpamUserState;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The feature-serving endpoint: HTTP/JSON on Javalin (Jetty 12) over the jobs' online tables.
 *
 * <ul>
 *   <li>{@code GET|POST /v1/spam/users/{id}}: a user's spam features as of a request time,
 *       optionally with the content event being posted ({@link SpamOnlineReader});</li>
 *   <li>{@code GET|POST /v1/reviewers/candidates}: candidate reviewers for a project, author and
 *       changed paths ({@link ReviewerCandidateReader});</li>
 *   <li>{@code GET /healthz}, {@code GET /metrics} (Prometheus text, {@link ServingMetrics}).</li>
 * </ul>
 * Every answer carries {@code feature_set_version}; a bad request is answered 400 with
 * {@code {"error": reason}}, a failing store 503. Request and answer formats: docs/serving.md.
 *
 * <p>Readers are not thread-safe, so each Jetty thread opens its own (one SQLite connection or
 * Redis connection per thread), all closed with the server.
 */
public final class FeatureServer implements AutoCloseable {
    static final String SPAM = "spam_user";
    static final String REVIEWERS = "reviewer_candidates";
    private static final Set<String> SPAM_QUERY_NUMBERS = Set.of(
            "project_id",
            "text_length",
            "title_length",
            "link_count",
            "external_link_count",
            "mention_count",
            "text_hash");

    private final ObjectMapper json = new ObjectMapper();
    private final ServingMetrics metrics = new ServingMetrics();
    private final Clock clock;
    private final SpamJobConfig spamConfig;
    private final ContentText contentText;
    private final ThreadLocal<SpamOnlineReader> spamReaders;
    private final ThreadLocal<ReviewerCandidateReader> reviewerReaders;
    private final String reviewerVersion;
    private final ServedLog servedLog;
    private final Queue<AutoCloseable> opened = new ConcurrentLinkedQueue<>();
    private final Javalin app;

    private FeatureServer(Builder b) {
        this.clock = b.clock;
        this.spamConfig = b.spamConfig;
        this.contentText = spamConfig == null ? null : new ContentText(spamConfig.gitlabHost());
        this.spamReaders = spamConfig == null
                ? null
                : ThreadLocal.withInitial(opening(() -> SpamOnlineReader.open(b.spamStore, b.spamConfig)));
        this.reviewerReaders = b.reviewerConfig == null
                ? null
                : ThreadLocal.withInitial(
                        opening(() -> ReviewerCandidateReader.open(b.reviewerStore, b.reviewerConfig)));
        this.reviewerVersion = b.reviewerConfig == null ? null : new ReviewerFeatureSet(b.reviewerConfig).fingerprint();
        this.servedLog = b.servedLog;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            // Each request thread keeps its own store connection: a bounded pool bounds the connections
            // (Jetty's default of 250 threads would open one per thread under a burst).
            config.jetty.threadPool = new QueuedThreadPool(b.maxThreads, Math.min(4, b.maxThreads), 60_000);
            config.routes.get("/v1/spam/users/{id}", ctx -> handle(ctx, SPAM, () -> spam(ctx, false)));
            config.routes.post("/v1/spam/users/{id}", ctx -> handle(ctx, SPAM, () -> spam(ctx, true)));
            config.routes.get("/v1/reviewers/candidates", ctx -> handle(ctx, REVIEWERS, () -> reviewers(ctx, false)));
            config.routes.post("/v1/reviewers/candidates", ctx -> handle(ctx, REVIEWERS, () -> reviewers(ctx, true)));
            config.routes.get("/healthz", this::health);
            config.routes.get(
                    "/metrics", ctx -> ctx.contentType(metrics.contentType()).result(metrics.scrape()));
        });
    }

    private <T extends AutoCloseable> Supplier<T> opening(Supplier<T> open) {
        return () -> {
            T reader = open.get();
            opened.add(reader);
            return reader;
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts listening; {@code port} 0 picks a free port ({@link #port()}). */
    public FeatureServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    public ServingMetrics metrics() {
        return metrics;
    }

    /** Stops the server, then closes every reader and the served log. */
    @Override
    public void close() {
        app.stop();
        for (AutoCloseable reader; (reader = opened.poll()) != null; ) {
            try {
                reader.close();
            } catch (Exception e) {
                // Closing a connection of a stopped server: nothing left to do with the failure.
            }
        }
        if (servedLog != null) {
            servedLog.close();
        }
    }

    /** A request that a handler answers with a JSON body, or rejects with {@link IllegalArgumentException}. */
    private interface Answer {
        ObjectNode compute() throws Exception;
    }

    private void handle(Context ctx, String endpoint, Answer answer) {
        long start = System.nanoTime();
        String outcome;
        try {
            ObjectNode body = answer.compute();
            ctx.status(200).contentType("application/json").result(json.writeValueAsString(body));
            outcome = "ok";
        } catch (IllegalArgumentException e) {
            error(ctx, 400, e.getMessage());
            outcome = "bad_request";
        } catch (OnlineStoreException e) {
            error(ctx, 503, "online store unavailable: " + e.getMessage());
            outcome = "unavailable";
        } catch (Exception e) {
            error(ctx, 500, "internal error: " + e.getClass().getSimpleName());
            outcome = "error";
        }
        metrics.record(endpoint, outcome, System.nanoTime() - start);
    }

    private void error(Context ctx, int status, String reason) {
        ObjectNode body = json.createObjectNode().put("error", reason);
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    private ObjectNode spam(Context ctx, boolean post) throws Exception {
        if (spamReaders == null) {
            throw new IllegalArgumentException("this server serves no spam features (start it with the spam config)");
        }
        long userId = longParam("user id", ctx.pathParam("id"));
        JsonNode body = post ? body(ctx) : null;
        String atText = post ? text(body, "at") : ctx.queryParam("at");
        JsonNode pending = post ? body.get("event") : pendingFromQuery(ctx);
        if (post) {
            for (var it = body.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!name.equals("at") && !name.equals("event")) {
                    throw new IllegalArgumentException("unknown field " + name + "; the body has at and event");
                }
            }
        }
        SpamOnlineReader reader = spamReaders.get();
        SpamUserState state = reader.state(userId); // the one store read of the request
        // "Now" by a clock behind the store's newest event (skew) reads as of that event.
        long at = atText != null ? instant(atText) : Math.max(clock.millis(), state.lastActivityMillis());
        Map<String, Object> values = pending == null || pending.isNull()
                ? reader.asOf(userId, state, at)
                : reader.asOf(state, SpamPendingEvent.parse(pending, userId, at, contentText));
        if (servedLog != null) {
            servedLog.served(SPAM, String.valueOf(userId), at, values, reader.featureSetVersion());
        }
        ObjectNode out = json.createObjectNode();
        out.put("user_id", userId);
        out.put("at", Instant.ofEpochMilli(at).toString());
        out.put("feature_set_version", reader.featureSetVersion());
        out.set("features", json.valueToTree(values));
        return out;
    }

    /** GET: the pending event from query parameters (when content_type is given), typed like the JSON fields. */
    private JsonNode pendingFromQuery(Context ctx) {
        if (ctx.queryParam("content_type") == null) {
            return null;
        }
        ObjectNode event = json.createObjectNode();
        for (Map.Entry<String, List<String>> param : ctx.queryParamMap().entrySet()) {
            String name = param.getKey();
            if (name.equals("at")) {
                continue;
            }
            if (param.getValue().size() != 1) {
                throw new IllegalArgumentException("query parameter " + name + " given more than once");
            }
            String value = param.getValue().get(0);
            if (SPAM_QUERY_NUMBERS.contains(name)) {
                event.put(name, longParam(name, value));
            } else if (name.equals("uppercase_ratio")) {
                try {
                    event.put(name, Double.parseDouble(value));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("uppercase_ratio must be a number in [0, 1]");
                }
            } else if (name.equals("has_code_block")) {
                if (!value.equals("true") && !value.equals("false")) {
                    throw new IllegalArgumentException("has_code_block must be true or false");
                }
                event.put(name, Boolean.parseBoolean(value));
            } else {
                event.put(name, value);
            }
        }
        return event;
    }

    private ObjectNode reviewers(Context ctx, boolean post) throws Exception {
        if (reviewerReaders == null) {
            throw new IllegalArgumentException(
                    "this server serves no reviewer candidates (start it with the reviewer config)");
        }
        long projectId;
        long authorId;
        List<String> paths = new ArrayList<>();
        String atText;
        if (post) {
            JsonNode body = body(ctx);
            projectId = longParam("project_id", required(text(body, "project_id", true), "project_id"));
            authorId = longParam("author_id", required(text(body, "author_id", true), "author_id"));
            JsonNode list = body.get("paths");
            if (list == null || !list.isArray()) {
                throw new IllegalArgumentException("paths must be an array of changed paths");
            }
            for (JsonNode path : list) {
                if (!path.isTextual()) {
                    throw new IllegalArgumentException("paths must be strings");
                }
                paths.add(path.asText());
            }
            atText = text(body, "at");
        } else {
            projectId = longParam("project_id", required(ctx.queryParam("project_id"), "project_id"));
            authorId = longParam("author_id", required(ctx.queryParam("author_id"), "author_id"));
            paths.addAll(ctx.queryParams("path"));
            atText = ctx.queryParam("at");
        }
        for (String path : paths) {
            if (path.isEmpty() || path.startsWith("/")) {
                throw new IllegalArgumentException("a changed path is repository-relative and not empty: " + path);
            }
        }
        long at = atText == null ? clock.millis() : instant(atText);
        List<CandidateFeatures> candidates =
                reviewerReaders.get().candidates(projectId, authorId, paths, Instant.ofEpochMilli(at));
        ObjectNode out = json.createObjectNode();
        out.put("project_id", projectId);
        out.put("author_id", authorId);
        out.put("at", Instant.ofEpochMilli(at).toString());
        out.put("feature_set_version", reviewerVersion);
        ArrayNode list = out.putArray("candidates");
        for (CandidateFeatures candidate : candidates) {
            list.add(json.valueToTree(candidate.values()));
            if (servedLog != null) {
                servedLog.served(
                        REVIEWERS,
                        projectId + ":" + authorId + ":" + candidate.candidateId(),
                        at,
                        candidate.values(),
                        reviewerVersion);
            }
        }
        return out;
    }

    private void health(Context ctx) {
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean ok = true;
        try {
            if (spamReaders != null) {
                spamReaders.get().state(-1L); // one key read: the store answers
                checks.put("spam", "ok");
            }
            if (reviewerReaders != null) {
                reviewerReaders.get().candidates(-1L, -1L, List.of(), Instant.ofEpochMilli(clock.millis()));
                checks.put("reviewers", "ok");
            }
        } catch (RuntimeException e) {
            ok = false;
            checks.put("error", e.getMessage());
        }
        checks.put("status", ok ? "ok" : "unavailable");
        ctx.status(ok ? 200 : 503)
                .contentType("application/json")
                .result(json.valueToTree(checks).toString());
    }

    private JsonNode body(Context ctx) {
        try {
            JsonNode body = json.readTree(ctx.body());
            if (body == null || !body.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object");
            }
            return body;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode body, String field) {
        return text(body, field, false);
    }

    private static String text(JsonNode body, String field, boolean numbersToo) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual() || (numbersToo && node.isIntegralNumber())) {
            return node.asText();
        }
        throw new IllegalArgumentException(field + " must be a " + (numbersToo ? "number" : "string"));
    }

    private static String required(String value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    private static long longParam(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got " + abbreviate(value));
        }
    }

    private static long instant(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "at must be an ISO-8601 instant such as 2024-05-01T12:00:00Z, got " + abbreviate(text));
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    /** What to serve and how; {@link #start} builds and starts the server. */
    public static final class Builder {
        private String spamStore;
        private SpamJobConfig spamConfig;
        private String reviewerStore;
        private ReviewerJobConfig reviewerConfig;
        private ServedLog servedLog;
        private Clock clock = Clock.systemUTC();
        private int maxThreads = 16;

        public Builder spam(String storeUri, SpamJobConfig config) {
            this.spamStore = Objects.requireNonNull(storeUri, "storeUri");
            this.spamConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        public Builder reviewers(String storeUri, ReviewerJobConfig config) {
            this.reviewerStore = Objects.requireNonNull(storeUri, "storeUri");
            this.reviewerConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Logs every answer (consistency report); closed with the server. */
        public Builder servedLog(ServedLog log) {
            this.servedLog = log;
            return this;
        }

        /** The clock of requests without {@code at}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Jetty request threads (each with its own store connections); default 16. */
        public Builder maxThreads(int threads) {
            if (threads < 2) {
                throw new IllegalArgumentException("maxThreads must be at least 2");
            }
            this.maxThreads = threads;
            return this;
        }

        public FeatureServer start(String host, int port) {
            if (spamConfig == null && reviewerConfig == null) {
                throw new IllegalArgumentException("nothing to serve: give the spam or the reviewer config");
            }
            return new FeatureServer(this).start(host, port);
        }
    }
}
