package io.eventstream.gateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Idempotency: the deliveries answered recently, by key, so a redelivery (GitLab's resend keeps the
 * {@code Idempotency-Key}) is answered again without producing a second time.
 *
 * <p>A key is claimed before producing; a second request with a claimed key waits for the first one's
 * outcome instead of producing in parallel. A failed attempt releases its key, so the retry produces.
 * Bounded: the oldest answered keys are forgotten first. Beyond this memory the events' stable ids let
 * the jobs deduplicate by {@code (source, id)}.
 */
final class RecentDeliveries {

    /** The result of {@link #claim}: either this caller owns the key, or someone else's outcome to wait on. */
    record Claim(boolean owner, CompletableFuture<HookOutcome> outcome) {}

    private final int capacity;
    private final LinkedHashMap<String, CompletableFuture<HookOutcome>> entries;

    RecentDeliveries(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 2, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<HookOutcome>> eldest) {
                // Pending entries stay: their requests are in flight (at most the in-flight bound of them).
                return size() > RecentDeliveries.this.capacity
                        && eldest.getValue().isDone();
            }
        };
    }

    /** Claims {@code key}, or returns the outcome of the request that holds it. */
    synchronized Claim claim(String key) {
        CompletableFuture<HookOutcome> existing = entries.get(key);
        if (existing != null) {
            return new Claim(false, existing);
        }
        CompletableFuture<HookOutcome> mine = new CompletableFuture<>();
        if (capacity > 0) {
            entries.put(key, mine);
        }
        return new Claim(true, mine);
    }

    /** The owner's request failed: forget the key so a retry produces, then tell any waiters. */
    void release(String key, CompletableFuture<HookOutcome> claim, HookOutcome failure) {
        synchronized (this) {
            entries.remove(key, claim);
        }
        claim.complete(failure);
    }

    synchronized int size() {
        return entries.size();
    }
}
