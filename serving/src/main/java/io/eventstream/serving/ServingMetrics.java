package io.eventstream.serving;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The endpoint's Prometheus metrics, in a registry of its own (not the JVM-wide default, so two
 * servers in one JVM, as in tests, count apart):
 * <ul>
 *   <li>{@code eventstream_serving_requests_total{endpoint, outcome}}: outcome {@code ok},
 *       {@code bad_request} (400), {@code unavailable} (503: the store failed) or {@code error} (500);</li>
 *   <li>{@code eventstream_serving_request_duration_seconds{endpoint}}: latency histogram, from the
 *       handler's start to the answer's serialization (not network time).</li>
 * </ul>
 */
public final class ServingMetrics {
    public static final String REQUESTS = "eventstream_serving_requests";
    public static final String DURATION = "eventstream_serving_request_duration_seconds";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder()
            .name(REQUESTS + "_total")
            .help("Feature requests answered, by endpoint and outcome (ok, bad_request, unavailable, error)")
            .labelNames("endpoint", "outcome")
            .register(registry);
    private final Histogram duration = Histogram.builder()
            .name(DURATION)
            .help("Time to compute and serialize an answer, by endpoint")
            .unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
            .labelNames("endpoint")
            .classicOnly()
            .classicUpperBounds(0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
            .register(registry);
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    void record(String endpoint, String outcome, long nanos) {
        requests.labelValues(endpoint, outcome).inc();
        duration.labelValues(endpoint).observe(nanos / 1e9);
    }

    /** The Prometheus text exposition (format 0.0.4) of every metric. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    public String contentType() {
        return writer.getContentType();
    }
}
