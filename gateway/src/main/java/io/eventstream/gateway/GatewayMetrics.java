package io.eventstream.gateway;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.DoubleSupplier;

/** The gateway's Prometheus metrics, in a registry of its own (several gateways can run in one JVM in tests). */
final class GatewayMetrics {
    /** Seconds: 1 ms to 10 s (GitLab's timeout). */
    private static final double[] LATENCY_BUCKETS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
    };

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    final Counter requests;
    final Counter events;
    final Counter deadLetters;
    final Histogram requestSeconds;
    final Histogram produceSeconds;

    GatewayMetrics(DoubleSupplier inFlight, DoubleSupplier tokenReloadFailures, DoubleSupplier kafkaReachable) {
        requests = Counter.builder()
                .name("gateway_requests_total")
                .help("Hook deliveries answered, by source and outcome")
                .labelNames("source", "outcome")
                .register(registry);
        events = Counter.builder()
                .name("gateway_events_produced_total")
                .help("Canonical events acknowledged by Kafka, by source")
                .labelNames("source")
                .register(registry);
        deadLetters = Counter.builder()
                .name("gateway_dead_letters_total")
                .help("Rejected bodies, by reason code and whether the dead letter reached Kafka")
                .labelNames("reason", "written")
                .register(registry);
        requestSeconds = Histogram.builder()
                .name("gateway_request_duration_seconds")
                .help("Time from request start to answer, by outcome")
                .labelNames("outcome")
                .classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS)
                .register(registry);
        produceSeconds = Histogram.builder()
                .name("gateway_kafka_produce_duration_seconds")
                .help("Time from send to Kafka's acknowledgement of all events of a delivery")
                .classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS)
                .register(registry);
        GaugeWithCallback.builder()
                .name("gateway_in_flight_requests")
                .help("Deliveries being handled now")
                .callback(cb -> cb.call(inFlight.getAsDouble()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("gateway_token_reload_failures")
                .help("Token references that could not be re-read (previous tokens kept)")
                .callback(cb -> cb.call(tokenReloadFailures.getAsDouble()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("gateway_kafka_reachable")
                .help("1 when the last Kafka probe succeeded")
                .callback(cb -> cb.call(kafkaReachable.getAsDouble()))
                .register(registry);
    }

    String contentType() {
        return writer.getContentType();
    }

    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
