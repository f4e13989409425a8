package io.eventstream.connectors.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The retry core of the online sink on a fake clock: which waits it takes, that it keeps the batch
 * and reconnects, that it gives up exactly at the limit with a message naming table, store and
 * duration, that cancel (interrupt) ends a wait at once, and that a failing close never escapes.
 */
class OutageRetryTest {

    private static final List<Object[]> BATCH = List.<Object[]>of(new Object[] {1L}, new Object[] {2L});

    /** A store that fails its first {@code failures} upserts (or opens), recording what it got. */
    private static final class FlakyBackend {
        int failOpens;
        int failUpserts;
        int opens;
        int closes;
        boolean closeThrows;
        final List<List<Object[]>> written = new ArrayList<>();

        OnlineStore open() {
            opens++;
            if (failOpens > 0) {
                failOpens--;
                throw new OnlineStoreException("connection refused");
            }
            return new OnlineStore() {
                @Override
                public void upsert(List<Object[]> rows) {
                    if (failUpserts > 0) {
                        failUpserts--;
                        throw new OnlineStoreException("Broken pipe");
                    }
                    written.add(rows);
                }

                @Override
                public Optional<Map<String, Object>> get(List<Object> key) {
                    return Optional.empty();
                }

                @Override
                public void close() {
                    closes++;
                    if (closeThrows) {
                        throw new OnlineStoreException("Broken pipe on close");
                    }
                }
            };
        }
    }

    /** Time advances only by the sleeps. */
    private static final class FakeTime {
        long nanos;
        final List<Long> sleeps = new ArrayList<>();

        void sleep(long millis) {
            sleeps.add(millis);
            nanos += millis * 1_000_000;
        }
    }

    private static OutageRetry retry(FlakyBackend backend, FakeTime time, Duration maxOutage) {
        return new OutageRetry(
                "user_features",
                "redis://127.0.0.1:6379/0",
                backend::open,
                maxOutage,
                () -> time.nanos,
                time::sleep,
                new Random(7));
    }

    @Test
    void backoffDoublesFrom100msTo5sWithJitterBetweenHalfAndAllOfEachStep() {
        OutageRetry retry = retry(new FlakyBackend(), new FakeTime(), Duration.ofMinutes(5));
        long[] steps = {100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000};
        for (int round = 0; round < 200; round++) {
            for (int attempt = 1; attempt <= steps.length; attempt++) {
                assertThat(retry.backoffMillis(attempt))
                        .as("attempt %d", attempt)
                        .isBetween(steps[attempt - 1] / 2, steps[attempt - 1]);
            }
        }
        assertThat(retry.backoffMillis(1_000)).isBetween(2_500L, 5_000L);
    }

    @Test
    void aShortOutageIsRetriedUntilTheStoreIsBackAndTheWholeBatchIsWritten() throws Exception {
        FlakyBackend backend = new FlakyBackend();
        FakeTime time = new FakeTime();
        OutageRetry retry = retry(backend, time, Duration.ofMinutes(5));
        retry.upsert(BATCH);
        assertThat(backend.opens).isEqualTo(1);

        backend.failUpserts = 1;
        backend.failOpens = 4;
        retry.upsert(BATCH);
        // Failed upsert closes the broken store; four refused connects; the sixth attempt writes.
        assertThat(time.sleeps).hasSize(5);
        assertThat(backend.opens).isEqualTo(1 + 5);
        assertThat(backend.closes).isEqualTo(1);
        assertThat(backend.written)
                .hasSize(2)
                .allSatisfy(rows -> assertThat(rows).isSameAs(BATCH));
        assertThat(retry.inOutage()).isFalse();

        // The next outage starts its backoff from the beginning again.
        backend.failUpserts = 1;
        time.sleeps.clear();
        retry.upsert(BATCH);
        assertThat(time.sleeps)
                .singleElement()
                .satisfies(wait -> assertThat(wait).isBetween(50L, 100L));
    }

    @Test
    void anOutageLongerThanTheLimitFailsAtTheLimitNamingTableStoreAndDuration() {
        FlakyBackend backend = new FlakyBackend();
        FakeTime time = new FakeTime();
        OutageRetry retry = retry(backend, time, Duration.ofSeconds(20));
        backend.failUpserts = 1;
        backend.failOpens = Integer.MAX_VALUE;

        assertThatThrownBy(() -> retry.upsert(BATCH))
                .isInstanceOf(OnlineStoreOutageException.class)
                .hasMessage("online table user_features in redis://127.0.0.1:6379/0 could not be written for 20.0 s, "
                        + "longer than online.max_outage (20s); last error: connection refused")
                .satisfies(e ->
                        assertThat(((OnlineStoreOutageException) e).outage()).isEqualTo(Duration.ofSeconds(20)))
                .hasCauseInstanceOf(OnlineStoreException.class);
        // Waits never overshoot the limit: the last one ends exactly at it, for one last try.
        assertThat(time.sleeps.stream().mapToLong(Long::longValue).sum()).isEqualTo(20_000);
        assertThat(backend.written).isEmpty();
    }

    @Test
    void rowsThatDoNotFitTheTableAreNotRetried() {
        FakeTime time = new FakeTime();
        OutageRetry retry = new OutageRetry(
                "t",
                "sqlite:x.db",
                () -> new OnlineStore() {
                    @Override
                    public void upsert(List<Object[]> rows) {
                        throw new IllegalArgumentException("column user_id is not nullable");
                    }

                    @Override
                    public Optional<Map<String, Object>> get(List<Object> key) {
                        return Optional.empty();
                    }

                    @Override
                    public void close() {}
                },
                Duration.ofMinutes(5),
                () -> time.nanos,
                time::sleep,
                new Random(1));
        assertThatThrownBy(() -> retry.upsert(BATCH)).isInstanceOf(IllegalArgumentException.class);
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void anInterruptEndsTheWaitAtOnce() throws Exception {
        FlakyBackend backend = new FlakyBackend();
        backend.failOpens = Integer.MAX_VALUE;
        OutageRetry retry = new OutageRetry("t", "redis://127.0.0.1:1/0", backend::open, Duration.ofHours(1));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            try {
                retry.upsert(BATCH);
            } catch (Throwable t) {
                thrown.set(t);
            }
            done.countDown();
        });
        writer.start();
        // Let it fail a few times and reach the multi-second waits.
        Thread.sleep(1_000);
        long interruptedAt = System.nanoTime();
        writer.interrupt();
        assertThat(done.await(2, TimeUnit.SECONDS))
                .as("writer ends within 2 s of the interrupt")
                .isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt)).isLessThan(Duration.ofSeconds(1));
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void aStoreThatFailsToCloseNeverMakesCloseThrow() throws Exception {
        FlakyBackend backend = new FlakyBackend();
        backend.closeThrows = true;
        FakeTime time = new FakeTime();
        OutageRetry retry = retry(backend, time, Duration.ofMinutes(5));
        retry.upsert(BATCH);
        backend.failUpserts = 2;
        retry.upsert(BATCH);
        retry.close();
        retry.close();
        assertThat(backend.closes).isEqualTo(3);
        assertThat(backend.written).hasSize(2);
    }
}
