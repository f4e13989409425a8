package io.eventstream.connectors.online;

import io.eventstream.features.config.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes batches to an online store through outages: a failed write closes the store, waits, opens
 * it again and repeats the whole batch (harmless: upserts are idempotent, see {@link OnlineStore}),
 * until it succeeds or the store has been failing for longer than {@code maxOutage}; then it throws
 * {@link OnlineStoreOutageException}. The caller keeps the batch until {@link #upsert} returns, so
 * nothing is lost, and is blocked meanwhile (back-pressure instead of a growing buffer).
 *
 * <p>Waits grow exponentially from {@link #INITIAL_BACKOFF} to {@link #MAX_BACKOFF} with jitter
 * (each wait is drawn between half and all of the current step), so many subtasks hitting the same
 * store do not reconnect in lockstep; the last wait is cut short to end at the limit, so the store
 * gets one more try at it. Waiting is interruptible: when Flink cancels the task it interrupts the
 * thread and {@link #upsert} throws {@link InterruptedException} at once. A backend call in flight
 * is bounded by the store's own timeouts (Redis: {@link RedisOnlineStore#SOCKET_TIMEOUT}).
 *
 * <p>Logging: one WARN when an outage starts, one INFO when it ends (with its duration and the
 * number of attempts), the give-up as the exception; nothing per retry above DEBUG. Messages name
 * the store as {@link OnlineStores#redact} shows it, never a password. Flink-free: the clock and the
 * sleep are injectable for unit tests. Not thread-safe: one per sink subtask.
 */
final class OutageRetry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutageRetry.class);

    static final Duration INITIAL_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** Waits between attempts; {@link Thread#sleep} in production. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final String table;
    private final String store;
    private final Supplier<OnlineStore> opener;
    private final long maxOutageNanos;
    private final Duration maxOutage;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private final Random jitter;
    private OnlineStore open;
    private long outageStartedAt;
    private int failedAttempts;
    private boolean closeFailureLogged;

    /**
     * @param table      table name, for messages
     * @param store      the store as messages show it (credentials redacted)
     * @param opener     opens (connects) the store; throws {@link OnlineStoreException} when it cannot
     * @param maxOutage  longest a store may keep failing before {@link #upsert} gives up
     */
    OutageRetry(String table, String store, Supplier<OnlineStore> opener, Duration maxOutage) {
        this(table, store, opener, maxOutage, System::nanoTime, Thread::sleep, new Random());
    }

    OutageRetry(
            String table,
            String store,
            Supplier<OnlineStore> opener,
            Duration maxOutage,
            LongSupplier nanoClock,
            Sleeper sleeper,
            Random jitter) {
        this.table = Objects.requireNonNull(table);
        this.store = Objects.requireNonNull(store);
        this.opener = Objects.requireNonNull(opener);
        if (maxOutage == null || maxOutage.isNegative() || maxOutage.isZero()) {
            throw new IllegalArgumentException("online.max_outage must be positive: " + maxOutage);
        }
        this.maxOutage = maxOutage;
        this.maxOutageNanos = maxOutage.toNanos();
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
        this.jitter = jitter;
    }

    /** Opens the store now, failing at once when it cannot (a fresh job's check of its settings). */
    void openNow() {
        if (open == null) {
            open = opener.get();
        }
    }

    /** Whether an outage is under way (the last attempt failed). */
    boolean inOutage() {
        return failedAttempts > 0;
    }

    /**
     * Upserts {@code rows}, retrying through an outage as described above.
     *
     * @throws OnlineStoreOutageException when the store has failed for longer than {@code maxOutage}
     * @throws IllegalArgumentException   when a row does not fit the table (not retried)
     * @throws InterruptedException       when the thread is interrupted while waiting (task cancelled)
     */
    void upsert(List<Object[]> rows) throws InterruptedException {
        while (true) {
            OnlineStoreException failure;
            try {
                if (open == null) {
                    open = opener.get();
                }
                open.upsert(rows);
                endOutage();
                return;
            } catch (OnlineStoreException e) {
                failure = e;
            }
            closeStore();
            long now = nanoClock.getAsLong();
            if (failedAttempts++ == 0) {
                outageStartedAt = now;
                LOG.warn(
                        "Online table {} in {}: write failed ({}); keeping {} buffered rows and retrying for up to "
                                + "{} (online.max_outage)",
                        table,
                        store,
                        describe(failure),
                        rows.size(),
                        Durations.format(maxOutage));
            } else {
                LOG.debug(
                        "Online table {} in {}: attempt {} failed: {}",
                        table,
                        store,
                        failedAttempts,
                        describe(failure));
            }
            long elapsed = now - outageStartedAt;
            if (elapsed >= maxOutageNanos) {
                throw new OnlineStoreOutageException(table, store, Duration.ofNanos(elapsed), maxOutage, failure);
            }
            long remainingMillis = Math.max(1, (maxOutageNanos - elapsed + 999_999) / 1_000_000);
            sleeper.sleep(Math.min(backoffMillis(failedAttempts), remainingMillis));
        }
    }

    /**
     * The wait after the {@code attempt}-th consecutive failure (1-based): step = initial × 2^(attempt-1)
     * capped at the maximum, drawn uniformly from [step/2, step].
     */
    long backoffMillis(int attempt) {
        long step = INITIAL_BACKOFF.toMillis() << Math.min(attempt - 1, 20);
        step = Math.min(step, MAX_BACKOFF.toMillis());
        long half = step / 2;
        return half + (long) (jitter.nextDouble() * (step - half + 1));
    }

    /** Closes the store; never throws (a store that just failed often fails to close too). */
    @Override
    public void close() {
        closeStore();
    }

    private void endOutage() {
        if (failedAttempts > 0) {
            LOG.info(
                    "Online table {} in {}: writes succeed again after {} and {} failed attempts",
                    table,
                    store,
                    format(Duration.ofNanos(nanoClock.getAsLong() - outageStartedAt)),
                    failedAttempts);
            failedAttempts = 0;
        }
    }

    private void closeStore() {
        if (open == null) {
            return;
        }
        OnlineStore closing = open;
        open = null;
        try {
            closing.close();
        } catch (RuntimeException e) {
            // Logged once per subtask: during an outage every reconnect may fail to close alike.
            if (!closeFailureLogged) {
                closeFailureLogged = true;
                LOG.warn(
                        "Online table {} in {}: closing the connection failed ({}); resources released",
                        table,
                        store,
                        e.getMessage());
            }
        }
    }

    /**
     * A failure for messages: its own message and, when it wraps a driver exception (SQLite's
     * {@code SQLException}), that one's too, which says what went wrong (e.g. a disk I/O error).
     * Neither carries row values or passwords.
     */
    static String describe(OnlineStoreException failure) {
        Throwable cause = failure.getCause();
        if (cause == null || cause.getMessage() == null || failure.getMessage().contains(cause.getMessage())) {
            return failure.getMessage();
        }
        return failure.getMessage() + ": " + cause.getMessage();
    }

    /** A duration for messages: seconds with one decimal, e.g. {@code 20.3 s}. */
    static String format(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
