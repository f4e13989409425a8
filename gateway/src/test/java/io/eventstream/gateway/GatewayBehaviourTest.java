package io.eventstream.gateway;

import static io.eventstream.gateway.GatewayTesting.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.connectors.kafka.KafkaBrokerExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Authentication, rotation, idempotency, bad input, health, metrics and TLS, against one real broker. */
class GatewayBehaviourTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A minimal system hook: user_create converts to one com.gitlab.user.created event. */
    static final String USER_CREATE = """
            {"event_name":"user_create","created_at":"2024-03-01T10:00:00Z","updated_at":"2024-03-01T10:00:00Z",
             "email":"someone@example.com","name":"Some One","username":"someone","user_id":%d}""";

    @TempDir
    Path dir;

    private final HttpClient client = client();

    private String newTopics(String prefix) {
        String topic = KAFKA.newTopic(prefix, 2);
        KAFKA.broker().createTopic(topic + "-dead", 1);
        return topic;
    }

    static byte[] userCreate(int userId) {
        return USER_CREATE.formatted(userId).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void tokensAreCheckedPerSourceAndRotateWithoutRestart() throws Exception {
        String topic = newTopics("tokens");
        Path tokens = tokenFile(dir, "old-token");
        List<Long> accepted = new ArrayList<>();
        try (Gateway gateway = start(config(tokens, topic, ""), KAFKA.bootstrapServers())) {
            assertThat(post(gateway, 1, null, accepted)).isEqualTo(401);
            assertThat(post(gateway, 1, "wrong", accepted)).isEqualTo(401);
            assertThat(post(gateway, 1, "old-token-and-more", accepted)).isEqualTo(401);
            assertThat(post(gateway, 1, "old-token", accepted)).isEqualTo(200);
            HttpRequest unknownSource = HttpRequest.newBuilder(hookUri(gateway, "nope"))
                    .header("X-Gitlab-Token", "old-token")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(userCreate(1)))
                    .build();
            assertThat(send(client, unknownSource).statusCode()).isEqualTo(404);

            // Rotation, step 1: both tokens valid at once (GitLab's hook settings change after the file).
            Files.writeString(tokens, "old-token\nnew-token\n");
            awaitStatus(gateway, 1000, "new-token", 200, accepted);
            assertThat(post(gateway, 3, "old-token", accepted)).isEqualTo(200);
            // Step 2: the old token retired.
            Files.writeString(tokens, "new-token\n");
            awaitStatus(gateway, 2000, "old-token", 401, accepted);
            assertThat(post(gateway, 4, "old-token", accepted)).isEqualTo(401);
            assertThat(post(gateway, 5, "new-token", accepted)).isEqualTo(200);
            // An unreadable file keeps the last good tokens.
            Files.delete(tokens);
            Thread.sleep(300);
            assertThat(post(gateway, 6, "new-token", accepted)).isEqualTo(200);
            assertThat(post(gateway, 7, "old-token", accepted)).isEqualTo(401);
        }
        assertThat(accepted).contains(1L, 3L, 5L, 6L).doesNotContain(4L, 7L);
        List<Long> users = new ArrayList<>();
        for (var record : readAll(KAFKA.bootstrapServers(), topic)) {
            users.add(JSON.readTree(record.value()).get("data").get("user_id").asLong());
        }
        assertThat(users).containsExactlyInAnyOrderElementsOf(accepted);
    }

    private int post(Gateway gateway, long userId, String token, List<Long> accepted) {
        int status = send(client, delivery(gateway, userCreate((int) userId), "System Hook", token, null))
                .statusCode();
        if (status == 200) {
            accepted.add(userId);
        }
        return status;
    }

    /** Posts new users (ids from {@code firstUser}) until the answer is {@code status}. */
    private void awaitStatus(Gateway gateway, long firstUser, String token, int status, List<Long> accepted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int last;
        long user = firstUser;
        do {
            last = post(gateway, user++, token, accepted);
            if (last == status) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertThat(last).as("status after the token file changed").isEqualTo(status);
    }

    @Test
    void aRedeliveryWithTheSameKeyProducesNothingMore() throws Exception {
        String topic = newTopics("idempotency");
        try (Gateway gateway = start(config(tokenFile(dir, TOKEN), topic, ""), KAFKA.bootstrapServers())) {
            String key = UUID.randomUUID().toString();
            HttpResponse<String> first = send(client, delivery(gateway, userCreate(7), "System Hook", TOKEN, key));
            HttpResponse<String> again = send(client, delivery(gateway, userCreate(7), "System Hook", TOKEN, key));
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(first.body()).get("outcome").asText()).isEqualTo("accepted");
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(again.body()).get("outcome").asText()).isEqualTo("duplicate");
            assertThat(JSON.readTree(again.body()).get("events"))
                    .isEqualTo(JSON.readTree(first.body()).get("events"));

            // Twenty concurrent deliveries of one key: one produces, the others wait for its answer.
            String concurrentKey = UUID.randomUUID().toString();
            List<CompletableFuture<HttpResponse<String>>> racing = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                racing.add(client.sendAsync(
                        delivery(gateway, userCreate(8), "System Hook", TOKEN, concurrentKey),
                        HttpResponse.BodyHandlers.ofString()));
            }
            List<String> outcomes = new ArrayList<>();
            for (var response : racing) {
                assertThat(response.get().statusCode()).isEqualTo(200);
                outcomes.add(JSON.readTree(response.get().body()).get("outcome").asText());
            }
            assertThat(outcomes).filteredOn("accepted"::equals).hasSize(1);
            assertThat(outcomes).filteredOn("duplicate"::equals).hasSize(19);

            // Without any key, the body's digest is the key: the same bytes again are a duplicate.
            assertThat(send(client, delivery(gateway, userCreate(9), "System Hook", TOKEN, null))
                            .body())
                    .contains("accepted");
            assertThat(send(client, delivery(gateway, userCreate(9), "System Hook", TOKEN, null))
                            .body())
                    .contains("duplicate");
        }
        List<String> ids = new ArrayList<>();
        for (var record : readAll(KAFKA.bootstrapServers(), topic)) {
            ids.add(JSON.readTree(record.value()).get("id").asText());
        }
        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void badBodiesAreAnswered4xxAndDeadLetteredWithoutTheirContent() throws Exception {
        String topic = newTopics("bad");
        try (Gateway gateway = start(config(tokenFile(dir, TOKEN), topic, """
                limits:
                  max-body-bytes: 4096
                """), KAFKA.bootstrapServers())) {
            byte[] big = ("{\"event_name\":\"user_create\",\"pad\":\"" + "x".repeat(5000) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(send(client, delivery(gateway, big, "System Hook", TOKEN, null))
                            .statusCode())
                    .isEqualTo(413);
            // Chunked, no Content-Length: the limit holds while reading.
            HttpRequest chunked = HttpRequest.newBuilder(hookUri(gateway, SOURCE))
                    .header("X-Gitlab-Token", TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                    .build();
            assertThat(send(client, chunked).statusCode()).isEqualTo(413);

            byte[] malformed = "{\"name\": \"Private Person\", ".getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> notJson =
                    send(client, delivery(gateway, malformed, "Issue Hook", TOKEN, "key-malformed"));
            assertThat(notJson.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(notJson.body()).get("detail").asText()).isEqualTo("MALFORMED_JSON");
            byte[] notGitLab = "{\"email\":\"private@example.com\"}".getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> foreign = send(client, delivery(gateway, notGitLab, null, TOKEN, null));
            assertThat(foreign.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(foreign.body()).get("detail").asText()).isEqualTo("MISSING_FIELD");

            HttpResponse<String> testHook = send(client, delivery(gateway, userCreate(10), "Test Hook", TOKEN, null));
            assertThat(testHook.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(testHook.body()).get("outcome").asText()).isEqualTo("unsupported");
            String metrics = get(client, gateway, "/metrics").body();
            assertThat(metrics).contains("gateway_requests_total{outcome=\"too_large\",source=\"gitlab-main\"} 2.0");
            assertThat(metrics).contains("gateway_requests_total{outcome=\"invalid\",source=\"gitlab-main\"} 2.0");
            assertThat(metrics).contains("gateway_requests_total{outcome=\"unsupported\",source=\"gitlab-main\"} 1.0");
            assertThat(metrics).contains("gateway_dead_letters_total{reason=\"MALFORMED_JSON\",written=\"true\"} 1.0");
        }
        assertThat(readAll(KAFKA.bootstrapServers(), topic)).isEmpty();
        List<JsonNode> letters = new ArrayList<>();
        for (var record : readAll(KAFKA.bootstrapServers(), topic + "-dead")) {
            String text = new String(record.value(), StandardCharsets.UTF_8);
            assertThat(text).doesNotContain("Private").doesNotContain("private@");
            letters.add(JSON.readTree(text));
        }
        assertThat(letters).hasSize(2);
        JsonNode malformedLetter = letters.stream()
                .filter(l -> l.get("reason").asText().equals("MALFORMED_JSON"))
                .findFirst()
                .orElseThrow();
        assertThat(malformedLetter.get("size").asLong()).isEqualTo(27);
        assertThat(malformedLetter.get("sha256").asText())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256")
                                .digest("{\"name\": \"Private Person\", ".getBytes(StandardCharsets.UTF_8))));
        assertThat(malformedLetter.get("source").asText()).isEqualTo(SOURCE);
        assertThat(malformedLetter.get("event_header").asText()).isEqualTo("Issue Hook");
        assertThat(malformedLetter.get("delivery").asText()).isEqualTo("key-malformed");
    }

    @Test
    void inFlightBoundsAnswer503AtOnce() throws Exception {
        String topic = newTopics("bounds");
        // One delivery in flight at most; its body is streamed slowly, so it holds its slot while being read.
        for (String limits : List.of("max-in-flight-requests: 1", "max-in-flight-mib: 1")) {
            try (Gateway gateway =
                    start(config(tokenFile(dir, TOKEN), topic, """
                    limits:
                      max-body-bytes: 1048576
                      %s
                    """.formatted(limits)), KAFKA.bootstrapServers())) {
                byte[] body = userCreate(20);
                // A slow sender on a raw socket (java.net.http buffers a streamed body before sending it): headers
                // and the first chunk now, the rest later. Chunked, so the gateway reserves max-body-bytes for it:
                // the whole byte bound in the second case.
                try (java.net.Socket slow = new java.net.Socket("127.0.0.1", gateway.port())) {
                    var out = slow.getOutputStream();
                    out.write(("POST /hooks/" + SOURCE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Gitlab-Token: " + TOKEN
                                    + "\r\nX-Gitlab-Event: System Hook\r\nContent-Type: application/json\r\n"
                                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(("a\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, 0, 10);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (gateway.inFlight() < 1 && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    assertThat(gateway.inFlight()).as(limits).isEqualTo(1);
                    HttpResponse<String> second =
                            send(client, delivery(gateway, userCreate(21), "System Hook", TOKEN, null));
                    assertThat(second.statusCode()).as(limits).isEqualTo(503);
                    assertThat(JSON.readTree(second.body()).get("outcome").asText())
                            .isEqualTo("overloaded");
                    assertThat(second.headers().firstValue("Retry-After")).hasValue("5");
                    out.write((Integer.toHexString(body.length - 10) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, 10, body.length - 10);
                    out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    String answer = new String(slow.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(answer).as(limits).startsWith("HTTP/1.1 200 ").contains("\"outcome\":\"accepted\"");
                }
                // The slot is free again.
                assertThat(send(client, delivery(gateway, userCreate(22), "System Hook", TOKEN, null))
                                .statusCode())
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void healthReadinessAndMetrics() throws Exception {
        String topic = newTopics("ops");
        try (Gateway gateway = start(config(tokenFile(dir, TOKEN), topic, ""), KAFKA.bootstrapServers())) {
            assertThat(get(client, gateway, "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(client, gateway, "/readyz").statusCode()).isEqualTo(200);
            for (int i = 0; i < 5; i++) {
                assertThat(send(client, delivery(gateway, userCreate(100 + i), "System Hook", TOKEN, null))
                                .statusCode())
                        .isEqualTo(200);
            }
            send(client, delivery(gateway, userCreate(100), "System Hook", "wrong", null));
            HttpResponse<String> metrics = get(client, gateway, "/metrics");
            assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(metrics.body())
                    .contains("gateway_requests_total{outcome=\"accepted\",source=\"gitlab-main\"} 5.0")
                    .contains("gateway_requests_total{outcome=\"unauthorized\",source=\"gitlab-main\"} 1.0")
                    .contains("gateway_events_produced_total{source=\"gitlab-main\"} 5.0")
                    .contains("gateway_request_duration_seconds_count{outcome=\"accepted\"} 5")
                    .contains("gateway_kafka_produce_duration_seconds_count 5")
                    .contains("gateway_in_flight_requests 0.0")
                    .contains("gateway_kafka_reachable 1.0");
        }
    }

    @Test
    void servesHttpsWithTheConfiguredKeystore() throws Exception {
        String topic = newTopics("tls");
        Path keystore = dir.resolve("gateway.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "gateway",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-validity",
                        "2",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        "changeit-test",
                        "-keypass",
                        "changeit-test")
                .redirectErrorStream(true)
                .start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue())
                .as(new String(keytool.getInputStream().readAllBytes()))
                .isZero();
        Path password = tokenFile(dir, "changeit-test");

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            trusted.load(in, "changeit-test".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, trust.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder()
                .sslContext(ssl)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        try (Gateway gateway = start(
                config(tokenFile(dir, TOKEN), topic, """
                tls:
                  keystore: %s
                  keystore-password: file:%s
                """.formatted(keystore, password)), KAFKA.bootstrapServers())) {
            assertThat(gateway.scheme()).isEqualTo("https");
            HttpResponse<String> answer = send(https, delivery(gateway, userCreate(11), "System Hook", TOKEN, null));
            assertThat(answer.statusCode()).isEqualTo(200);
            // Plain HTTP on the TLS port is refused.
            HttpRequest plain = HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + gateway.port() + "/healthz"))
                    .timeout(Duration.ofSeconds(5))
                    .build();
            int plainStatus;
            try {
                plainStatus = client.send(plain, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (IOException e) {
                plainStatus = -1;
            }
            assertThat(plainStatus).isNotEqualTo(200);
        }
        assertThat(readAll(KAFKA.bootstrapServers(), topic)).hasSize(1);
    }
}
