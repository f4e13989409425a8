package io.eventstream.gateway;

/** What the gateway did with one request: the {@code outcome} label of {@code gateway_requests_total}. */
public enum Outcome {
    /** Converted and acknowledged by Kafka: 200. */
    ACCEPTED(200),
    /** A redelivery of an acknowledged delivery (same idempotency key): 200, nothing produced. */
    DUPLICATE(200),
    /** A GitLab kind or action no feature reads (test hooks, kinds without a canonical type): 200, nothing produced. */
    UNSUPPORTED(200),
    /** Not a GitLab payload: 400, a dead letter (reason, size, digest) on the dead-letter topic. */
    INVALID(400),
    /** Missing or wrong {@code X-Gitlab-Token}: 401. */
    UNAUTHORIZED(401),
    /** No source of that name: 404. */
    UNKNOWN_SOURCE(404),
    /** Body above {@code limits.max-body-bytes}: 413. */
    TOO_LARGE(413),
    /** Kafka did not acknowledge in time or is unreachable: 503 with Retry-After. */
    UNAVAILABLE(503),
    /** In-flight requests or bytes at their bound: 503 with Retry-After. */
    OVERLOADED(503),
    /** The gateway is shutting down: 503 with Retry-After. */
    DRAINING(503);

    private final int status;

    Outcome(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The metric label and JSON value, e.g. {@code unknown_source}. */
    public String label() {
        return name().toLowerCase();
    }
}
