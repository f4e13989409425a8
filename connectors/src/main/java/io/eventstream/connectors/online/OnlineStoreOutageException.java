package io.eventstream.connectors.online;

import io.eventstream.features.config.Durations;
import java.time.Duration;

/**
 * An online store stayed unreachable (or kept failing writes) for longer than the configured
 * limit ({@code online.max_outage}): the sink gives up so the job fails and Flink restarts it from
 * its last checkpoint. The message names the table, the store (without credentials) and how long
 * the outage lasted; the last backend error is the cause.
 */
public final class OnlineStoreOutageException extends OnlineStoreException {

    private final Duration outage;

    public OnlineStoreOutageException(
            String table, String store, Duration outage, Duration limit, OnlineStoreException lastFailure) {
        super(
                "online table " + table + " in " + store + " could not be written for "
                        + OutageRetry.format(outage) + ", longer than online.max_outage (" + Durations.format(limit)
                        + "); last error: " + OutageRetry.describe(lastFailure),
                lastFailure);
        this.outage = outage;
    }

    /** How long the store had been failing when the sink gave up. */
    public Duration outage() {
        return outage;
    }
}
