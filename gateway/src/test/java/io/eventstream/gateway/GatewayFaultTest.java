package io.eventstream.gateway;

import static io.eventstream.gateway.GatewayTesting.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.connectors.kafka.KafkaBrokerExtension;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults under load, with GitLab-like senders (each delivery has its own idempotency key and is resent
 * with the same key and body until it is answered 2xx): the broker stopped and restarted mid-load, and
 * the gateway shut down mid-load. Kafka is read back and compared with the acknowledged deliveries.
 */
class GatewayFaultTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SENDERS = 8;

    @TempDir
    Path dir;

    @Test
    void kafkaStoppedMidLoadLosesNoAcknowledgedDeliveryAndDuplicatesNone() throws Exception {
        String topic = KAFKA.newTopic("outage", 4);
        KAFKA.broker().createTopic(topic + "-dead", 1);
        int perSender = 60;
        Set<String> acknowledgedIds = ConcurrentHashMap.newKeySet();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger failedConnections = new AtomicInteger();
        String metrics;
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        // Each sender delivers a quarter of its hooks, then waits for the broker to be stopped: on a fast
        // machine the whole load could otherwise finish before the outage begins.
        java.util.concurrent.CountDownLatch brokerStopped = new java.util.concurrent.CountDownLatch(1);
        try (Gateway gateway = start(config(tokenFile(dir, TOKEN), topic, ""), KAFKA.bootstrapServers())) {
            HttpClient client = client();
            List<Future<?>> running = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                running.add(senders.submit(() -> {
                    for (int i = 0; i < perSender; i++) {
                        if (i == perSender / 4 && !brokerStopped.await(120, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the broker was not stopped");
                        }
                        String key = UUID.randomUUID().toString();
                        byte[] body = GatewayBehaviourTest.userCreate(sender * 100_000 + i);
                        while (true) {
                            try {
                                HttpResponse<String> answer = client.send(
                                        delivery(gateway, body, "System Hook", TOKEN, key),
                                        HttpResponse.BodyHandlers.ofString());
                                if (answer.statusCode() == 200) {
                                    JSON.readTree(answer.body())
                                            .get("events")
                                            .forEach(id -> acknowledgedIds.add(id.asText()));
                                    acknowledged.incrementAndGet();
                                    break;
                                }
                                assertThat(answer.statusCode()).isEqualTo(503);
                                assertThat(answer.headers().firstValue("Retry-After"))
                                        .isPresent();
                                unavailable.incrementAndGet();
                            } catch (IOException e) {
                                failedConnections.incrementAndGet();
                            }
                            Thread.sleep(50);
                        }
                    }
                    return null;
                }));
            }
            long t0 = System.nanoTime();
            awaitAtLeast(acknowledged, SENDERS * (perSender / 4));
            long t1 = System.nanoTime();
            KAFKA.broker().stop();
            // The senders resume only once the health probe has seen the outage: a delivery sent before
            // that waits for Kafka's acknowledgement and, if the broker is back within the delivery
            // timeout, is answered 200, so a fast restart could hide the outage from every sender.
            awaitReadiness(gateway, 503);
            brokerStopped.countDown();
            long t2 = System.nanoTime();
            Thread.sleep(2_000);
            assertThat(get(client(), gateway, "/readyz").statusCode()).isEqualTo(503);
            KAFKA.broker().start();
            long t3 = System.nanoTime();
            for (Future<?> sender : running) {
                sender.get(120, TimeUnit.SECONDS);
            }
            long t4 = System.nanoTime();
            System.out.printf(
                    "outage test: first quarter %.1f s, broker stop %.1f s, down + restart %.1f s, rest %.1f s%n",
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9);
            assertThat(get(client(), gateway, "/readyz").statusCode()).isEqualTo(200);
            metrics = get(client(), gateway, "/metrics").body();
        } finally {
            senders.shutdownNow();
        }
        assertThat(acknowledged.get()).isEqualTo(SENDERS * perSender);
        assertThat(unavailable.get()).as("the outage was seen as 503s").isPositive();
        assertThat(failedConnections.get()).isZero();
        assertThat(metrics)
                .contains("gateway_requests_total{outcome=\"unavailable\",source=\"gitlab-main\"} " + unavailable.get()
                        + ".0");

        List<String> idsInKafka = new ArrayList<>();
        for (var record : readAll(KAFKA.bootstrapServers(), topic)) {
            idsInKafka.add(JSON.readTree(record.value()).get("id").asText());
        }
        assertThat(idsInKafka).doesNotHaveDuplicates();
        assertThat(Set.copyOf(idsInKafka)).isEqualTo(acknowledgedIds);
        assertThat(acknowledgedIds).hasSize(SENDERS * perSender);
    }

    @Test
    void shutdownDuringLoadAnswersEveryRequestAndKeepsEveryAcknowledgedOne() throws Exception {
        String topic = KAFKA.newTopic("shutdown", 4);
        KAFKA.broker().createTopic(topic + "-dead", 1);
        Set<String> acknowledgedIds = ConcurrentHashMap.newKeySet();
        AtomicInteger acknowledged = new AtomicInteger();
        List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
        List<String> unanswered = Collections.synchronizedList(new ArrayList<>());
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        Gateway gateway = start(config(tokenFile(dir, TOKEN), topic, ""), KAFKA.bootstrapServers());
        int inFlightAtClose;
        try {
            HttpClient client = client();
            List<Future<?>> running = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                running.add(senders.submit(() -> {
                    for (int i = 0; ; i++) {
                        byte[] body = GatewayBehaviourTest.userCreate(sender * 1_000_000 + i);
                        try {
                            HttpResponse<String> answer = client.send(
                                    delivery(
                                            gateway,
                                            body,
                                            "System Hook",
                                            TOKEN,
                                            UUID.randomUUID().toString()),
                                    HttpResponse.BodyHandlers.ofString());
                            JsonNode json = JSON.readTree(answer.body());
                            outcomes.add(json.get("outcome").asText());
                            if (answer.statusCode() == 200) {
                                json.get("events").forEach(id -> acknowledgedIds.add(id.asText()));
                                acknowledged.incrementAndGet();
                            } else {
                                assertThat(answer.statusCode()).isEqualTo(503);
                                return null; // draining: a GitLab sender would come back later
                            }
                        } catch (ConnectException e) {
                            return null; // the listener is closed: nothing was accepted
                        } catch (IOException e) {
                            unanswered.add(e.toString());
                            return null;
                        }
                    }
                }));
            }
            awaitAtLeast(acknowledged, 300);
            inFlightAtClose = gateway.inFlight();
            gateway.close();
            for (Future<?> sender : running) {
                sender.get(60, TimeUnit.SECONDS);
            }
        } finally {
            gateway.close();
            senders.shutdownNow();
        }
        assertThat(unanswered).as("requests that got no answer").isEmpty();
        assertThat(outcomes).containsOnly("accepted", "draining");
        List<String> idsInKafka = new ArrayList<>();
        for (var record : readAll(KAFKA.bootstrapServers(), topic)) {
            idsInKafka.add(JSON.readTree(record.value()).get("id").asText());
        }
        assertThat(idsInKafka).doesNotHaveDuplicates();
        assertThat(Set.copyOf(idsInKafka)).isEqualTo(acknowledgedIds);
        System.out.println("shutdown test: " + acknowledged.get() + " acknowledged, " + inFlightAtClose
                + " in flight when close() began, outcomes "
                + outcomes.stream().distinct().toList());
    }

    private static void awaitAtLeast(AtomicInteger counter, int target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (counter.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "only " + counter.get() + " of " + target + " deliveries acknowledged in 60 s");
            }
            Thread.sleep(10);
        }
    }

    private static void awaitReadiness(Gateway gateway, int status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (get(client(), gateway, "/readyz").statusCode() != status) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("/readyz did not answer " + status + " within 30 s");
            }
            Thread.sleep(50);
        }
    }
}
