package io.eventstream.gateway;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.EventError;
import io.eventstream.features.gitlab.Conversion;
import io.eventstream.features.gitlab.GitLabAdapter;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * {@code POST /hooks/<source>}: one GitLab delivery in, its canonical events on Kafka, the answer after
 * Kafka acknowledged them. The order of checks puts the cheap ones first and reads the body only for an
 * authenticated caller within the in-flight bounds:
 * draining → source → token → in-flight bounds → Kafka reachable → size → idempotency → convert → produce.
 */
final class HookHandler {
    static final String TOKEN_HEADER = "X-Gitlab-Token";
    static final String EVENT_HEADER = "X-Gitlab-Event";
    static final String EVENT_UUID_HEADER = "X-Gitlab-Event-UUID";
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    /** GitLab does not honour it, other senders and proxies do. */
    static final String RETRY_AFTER_SECONDS = "5";
    /** Header values used as ids: GitLab sends UUIDs; anything else is ignored, never echoed. */
    private static final Pattern DELIVERY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z ]{1,64}");

    private final GatewayConfig config;
    private final Map<String, GitLabAdapter> adapters;
    private final TokenVault tokens;
    private final EventPublisher publisher;
    private final KafkaHealth kafka;
    private final RecentDeliveries recent;
    private final GatewayMetrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Semaphore inFlightBytes;
    private final int inFlightBytePermits;
    private final BooleanSupplier draining;

    HookHandler(
            GatewayConfig config,
            TokenVault tokens,
            EventPublisher publisher,
            KafkaHealth kafka,
            GatewayMetrics metrics,
            BooleanSupplier draining) {
        this.config = config;
        this.tokens = tokens;
        this.publisher = publisher;
        this.kafka = kafka;
        this.metrics = metrics;
        this.draining = draining;
        this.recent = new RecentDeliveries(config.recentKeys());
        this.adapters = config.sources().values().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(
                        GatewayConfig.Source::name, s -> new GitLabAdapter(s.instance(), config.maxBodyBytes())));
        // Semaphore permits are ints: count bytes in KiB.
        this.inFlightBytePermits = (int) Math.min(Integer.MAX_VALUE, config.maxInFlightBytes() / 1024);
        this.inFlightBytes = new Semaphore(inFlightBytePermits);
    }

    int inFlight() {
        return inFlight.get();
    }

    void handle(Context ctx) {
        long started = System.nanoTime();
        String sourceName = ctx.pathParam("source");
        if (draining.getAsBoolean()) {
            ctx.header("Connection", "close");
            answer(ctx, started, "-", HookOutcome.of(Outcome.DRAINING, "shutting down"));
            return;
        }
        GatewayConfig.Source source = config.sources().get(sourceName);
        if (source == null) {
            answer(ctx, started, "-", HookOutcome.of(Outcome.UNKNOWN_SOURCE, null));
            return;
        }
        if (!tokens.matches(sourceName, ctx.header(TOKEN_HEADER))) {
            answer(
                    ctx,
                    started,
                    sourceName,
                    HookOutcome.of(
                            Outcome.UNAUTHORIZED,
                            ctx.header(TOKEN_HEADER) == null ? "missing " + TOKEN_HEADER : "wrong " + TOKEN_HEADER));
            return;
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > config.maxBodyBytes()) {
            ctx.header("Connection", "close");
            answer(ctx, started, sourceName, HookOutcome.of(Outcome.TOO_LARGE, tooLarge()));
            return;
        }
        int kib = (int) Math.max(1, ((declared >= 0 ? declared : config.maxBodyBytes()) + 1023) / 1024);
        if (!inFlightBytes.tryAcquire(Math.min(kib, inFlightBytePermits))) {
            answer(ctx, started, sourceName, HookOutcome.of(Outcome.OVERLOADED, "in-flight bytes at their bound"));
            return;
        }
        if (inFlight.incrementAndGet() > config.maxInFlightRequests()) {
            release(kib);
            answer(ctx, started, sourceName, HookOutcome.of(Outcome.OVERLOADED, "in-flight requests at their bound"));
            return;
        }
        boolean async = false;
        try {
            if (!kafka.reachable()) {
                answer(ctx, started, sourceName, HookOutcome.of(Outcome.UNAVAILABLE, "Kafka is unreachable"));
                return;
            }
            byte[] body = readBounded(ctx);
            if (body == null) {
                ctx.header("Connection", "close");
                answer(ctx, started, sourceName, HookOutcome.of(Outcome.TOO_LARGE, tooLarge()));
                return;
            }
            async = true;
            process(ctx, started, source, body).whenComplete((ok, error) -> release(kib));
        } catch (IOException e) {
            answer(ctx, started, sourceName, HookOutcome.of(Outcome.INVALID, "body could not be read"));
        } finally {
            if (!async) {
                release(kib);
            }
        }
    }

    private CompletableFuture<Void> process(Context ctx, long started, GatewayConfig.Source source, byte[] body) {
        Instant received = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String eventHeader = headerValue(ctx.header(EVENT_HEADER), EVENT_NAME);
        String delivery = deliveryId(ctx);
        String key = source.instance() + "|" + (delivery != null ? delivery : "sha256:" + hex(sha256(body)));
        RecentDeliveries.Claim claim = recent.claim(key);
        if (!claim.owner()) {
            // A redelivery: answer what the first attempt answered once it is known; never produce again.
            CompletableFuture<HookOutcome> answered = claim.outcome()
                    .orTimeout(config.deliveryTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS)
                    .handle((first, error) -> {
                        if (error != null) {
                            return HookOutcome.of(Outcome.UNAVAILABLE, "an attempt with this key is still pending");
                        }
                        return first.outcome() == Outcome.ACCEPTED || first.outcome() == Outcome.DUPLICATE
                                ? first.asDuplicate()
                                : first;
                    });
            return answerLater(ctx, started, source.name(), answered);
        }
        Conversion conversion = adapters.get(source.name()).convert(body, eventHeader, delivery, received);
        if (!conversion.isOk()) {
            if (conversion.unsupported()) {
                HookOutcome outcome = HookOutcome.of(
                        Outcome.UNSUPPORTED, conversion.error().reason().name());
                claim.outcome().complete(outcome);
                answer(ctx, started, source.name(), outcome);
                return CompletableFuture.completedFuture(null);
            }
            EventError error = conversion.error();
            GatewayDeadLetter letter = new GatewayDeadLetter(
                    source.name(), error, eventHeader, delivery, body.length, sha256(body), received);
            HookOutcome outcome = HookOutcome.of(Outcome.INVALID, error.reason().name());
            CompletableFuture<HookOutcome> written = publisher
                    .publishDeadLetter(letter.toJson())
                    .handle((ok, failure) -> {
                        metrics.deadLetters
                                .labelValues(error.reason().name(), failure == null ? "true" : "false")
                                .inc();
                        return outcome;
                    });
            // Not remembered: the same bad body sent again is answered (and dead-lettered) again.
            recent.release(key, claim.outcome(), outcome);
            return answerLater(ctx, started, source.name(), written);
        }
        List<CloudEvent> events = conversion.events();
        List<String> ids = events.stream().map(CloudEvent::id).toList();
        CompletableFuture<HookOutcome> produced = publisher.publish(events).handle((ok, failure) -> {
            if (failure == null) {
                HookOutcome accepted = new HookOutcome(Outcome.ACCEPTED, null, ids);
                metrics.events.labelValues(source.name()).inc(events.size());
                claim.outcome().complete(accepted);
                return accepted;
            }
            HookOutcome unavailable = HookOutcome.of(Outcome.UNAVAILABLE, "Kafka did not acknowledge in time");
            recent.release(key, claim.outcome(), unavailable);
            return unavailable;
        });
        return answerLater(ctx, started, source.name(), produced);
    }

    /** Answers when {@code outcome} completes, without holding a server thread meanwhile. */
    private CompletableFuture<Void> answerLater(
            Context ctx, long started, String source, CompletableFuture<HookOutcome> outcome) {
        CompletableFuture<Void> answered = outcome.thenAccept(o -> answer(ctx, started, source, o));
        ctx.future(() -> answered);
        return answered;
    }

    /** {@code Idempotency-Key} (stable across GitLab's resends), else {@code X-Gitlab-Event-UUID}, else null. */
    static String deliveryId(Context ctx) {
        String key = headerValue(ctx.header(IDEMPOTENCY_HEADER), DELIVERY_KEY);
        return key != null ? key : headerValue(ctx.header(EVENT_UUID_HEADER), DELIVERY_KEY);
    }

    private static String headerValue(String value, Pattern allowed) {
        if (value == null) {
            return null;
        }
        String stripped = value.strip();
        return allowed.matcher(stripped).matches() ? stripped : null;
    }

    /** Reads at most {@code maxBodyBytes}; null as soon as the body turns out larger (chunked bodies too). */
    private byte[] readBounded(Context ctx) throws IOException {
        InputStream in = ctx.req().getInputStream();
        byte[] body = in.readNBytes(config.maxBodyBytes() + 1);
        return body.length > config.maxBodyBytes() ? null : body;
    }

    private String tooLarge() {
        return "body larger than " + config.maxBodyBytes() + " bytes";
    }

    private void release(int kib) {
        inFlight.decrementAndGet();
        inFlightBytes.release(Math.min(kib, inFlightBytePermits));
    }

    private void answer(Context ctx, long started, String source, HookOutcome outcome) {
        Outcome what = outcome.outcome();
        if (what.status() == 503) {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        StringBuilder json = new StringBuilder(64)
                .append("{\"outcome\":\"")
                .append(what.label())
                .append('"');
        if (outcome.detail() != null) {
            json.append(",\"detail\":\"")
                    .append(outcome.detail().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        if (!outcome.eventIds().isEmpty()) {
            json.append(",\"events\":[");
            for (int i = 0; i < outcome.eventIds().size(); i++) {
                json.append(i == 0 ? "\"" : ",\"")
                        .append(outcome.eventIds().get(i).replace("\"", ""))
                        .append('"');
            }
            json.append(']');
        }
        ctx.status(what.status())
                .contentType("application/json")
                .result(json.append('}').toString());
        metrics.requests.labelValues(source, what.label()).inc();
        metrics.requestSeconds.labelValues(what.label()).observe((System.nanoTime() - started) / 1e9);
    }

    static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
