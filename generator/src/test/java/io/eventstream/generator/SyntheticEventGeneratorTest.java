package io.eventstream.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.Decoded;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class SyntheticEventGeneratorTest {
    private static final GeneratorConfig SMALL = GeneratorConfig.of(42, 100, 6, 7);
    private final CloudEventJson json = new CloudEventJson();

    private byte[] eventBytes(GeneratorConfig config, ByteArrayOutputStream truth) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonLinesTruthSink sink = new JsonLinesTruthSink(truth)) {
            for (CloudEvent event : (Iterable<CloudEvent>) () -> new SyntheticEventGenerator(config, sink)) {
                out.write(json.write(event));
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    @Test
    void sameSeedGivesIdenticalBytesAndTruth() throws IOException {
        ByteArrayOutputStream truth1 = new ByteArrayOutputStream();
        ByteArrayOutputStream truth2 = new ByteArrayOutputStream();
        byte[] first = eventBytes(SMALL, truth1);
        byte[] second = eventBytes(SMALL, truth2);
        assertThat(first.length).isGreaterThan(500_000);
        assertThat(second).isEqualTo(first);
        assertThat(truth1.size()).isPositive();
        assertThat(truth2.toByteArray()).isEqualTo(truth1.toByteArray());
    }

    @Test
    void differentSeedGivesDifferentEvents() {
        // Not just the ids (they carry the seed): times and payloads differ.
        List<CloudEvent> a = SyntheticEventGenerator.generateAll(SMALL);
        List<CloudEvent> b = SyntheticEventGenerator.generateAll(SMALL.withSeed(43));
        assertThat(b.stream().map(e -> e.time() + " " + e.data()).toList())
                .isNotEqualTo(a.stream().map(e -> e.time() + " " + e.data()).toList());
    }

    @Test
    void everyEventDecodesBackEqual() throws IOException {
        List<CloudEvent> events = SyntheticEventGenerator.generateAll(SMALL);
        assertThat(events).hasSizeGreaterThan(2_000);
        for (CloudEvent event : events) {
            byte[] bytes = json.write(event);
            // The streaming writer produces exactly the tree encoding.
            assertThat(bytes).isEqualTo(json.mapper().writeValueAsBytes(json.toJsonNode(event)));
            Decoded<CloudEvent> decoded = json.read(bytes);
            assertThat(decoded.isOk()).as("%s", decoded).isTrue();
            assertThat(decoded.value()).isEqualTo(event);
        }
    }

    @Test
    void idsAreUniqueAndEventTimesInsideThePeriod() {
        List<CloudEvent> events = SyntheticEventGenerator.generateAll(SMALL);
        assertThat(events.stream().map(CloudEvent::id).distinct().count()).isEqualTo(events.size());
        Instant end = SMALL.start().plus(Duration.ofDays(SMALL.days()));
        for (CloudEvent event : events) {
            assertThat(event.time()).isBetween(SMALL.start(), end.minusMillis(1));
            assertThat(event.id()).matches("g2a-\\d{12}");
            assertThat(event.source()).isEqualTo(GeneratorConfig.DEFAULT_SOURCE);
            assertThat(event.dataschema()).isEqualTo(CloudEvent.schemaUri(event.type()));
        }
    }

    @Test
    void emissionOrderAndDisorderWithinTheJitterBound() {
        long jitter = SMALL.maxJitter().toMillis();
        List<CloudEvent> events = SyntheticEventGenerator.generateAll(SMALL);
        long maxTimeSoFar = SMALL.start().toEpochMilli();
        long previousEmission = Long.MIN_VALUE;
        int outOfOrder = 0;
        for (CloudEvent event : events) {
            long time = event.timeMillis();
            long emission = event.recordedTime().toEpochMilli();
            assertThat(emission - time).as("jitter of %s", event.id()).isBetween(0L, jitter);
            assertThat(emission).as("emission order").isGreaterThanOrEqualTo(previousEmission);
            assertThat(time).as("disorder of %s", event.id()).isGreaterThanOrEqualTo(maxTimeSoFar - jitter);
            if (time < maxTimeSoFar) {
                outOfOrder++;
            }
            maxTimeSoFar = Math.max(maxTimeSoFar, time);
            previousEmission = emission;
        }
        assertThat(outOfOrder).as("the jitter really reorders events").isGreaterThan(events.size() / 100);
    }

    @Test
    void withoutJitterEventsAreInTimeOrder() {
        List<CloudEvent> events = SyntheticEventGenerator.generateAll(SMALL.withMaxJitter(Duration.ZERO));
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).time()).isAfterOrEqualTo(events.get(i - 1).time());
            assertThat(events.get(i).recordedTime()).isEqualTo(events.get(i).time());
        }
    }

    @Test
    void lateEventsAreLateByTheConfiguredDelayAndEverythingElseStaysInBound() {
        Duration lateDelay = Duration.ofMinutes(45);
        GeneratorConfig config = SMALL.withLateFraction(0.02).withLateDelay(lateDelay);
        List<CloudEvent> events = SyntheticEventGenerator.generateAll(config);
        long jitter = config.maxJitter().toMillis();
        int late = 0;
        for (CloudEvent event : events) {
            long delay = event.recordedTime().toEpochMilli() - event.timeMillis();
            if (delay > jitter) {
                late++;
                assertThat(delay).isBetween(lateDelay.toMillis(), 2 * lateDelay.toMillis());
            }
        }
        // 2% of the events, give or take the binomial spread (sd ~ 0.14% of n here).
        assertThat((double) late / events.size()).isBetween(0.015, 0.025);
    }

    @Test
    void jitterAndLatenessReorderTheSameEventsWithoutChangingThem() {
        List<CloudEvent> plain = sortedById(SyntheticEventGenerator.generateAll(SMALL.withMaxJitter(Duration.ZERO)));
        List<CloudEvent> shuffled = sortedById(SyntheticEventGenerator.generateAll(SMALL.withLateFraction(0.05)));
        assertThat(shuffled).hasSameSizeAs(plain);
        for (int i = 0; i < plain.size(); i++) {
            CloudEvent a = plain.get(i);
            CloudEvent b = shuffled.get(i);
            assertThat(b.id()).isEqualTo(a.id());
            assertThat(b.time()).isEqualTo(a.time());
            assertThat(b.data()).isEqualTo(a.data());
        }
    }

    @Test
    void stateIsBoundedIndependentlyOfDays() {
        GeneratorConfig shortRun = GeneratorConfig.of(7, 120, 6, 20);
        GeneratorConfig longRun = shortRun.withDays(120);
        GeneratorState shortPeak = peakState(shortRun);
        GeneratorState longPeak = peakState(longRun);
        // Six times the days, not six times the in-flight work: nothing is planned ahead per day. The peak
        // is the maximum of noisy counts and the world still grows slowly (projects, memberships, issues
        // up to their caps): over seeds 7-12 the ratio is 1.1-1.4; work planned per day would give ~6.
        assertThat(inFlight(longPeak)).isLessThan((long) (inFlight(shortPeak) * 1.5));
        // Remembered history saturates at caps set by users and projects alone.
        assertThat(longPeak.memberships()).isLessThanOrEqualTo(SimUser.MAX_MEMBERSHIPS * 120);
        assertThat(longPeak.trackedIssues()).isLessThanOrEqualTo(SimProject.TRACKED_OPEN_ISSUES * 6);
        assertThat(longPeak.expertiseEntries()).isLessThanOrEqualTo(SimProject.EXPERTS_PER_MODULE * 12 * 6);
        assertThat(longPeak.historyEntries()).isLessThanOrEqualTo(SimUser.HISTORY_CAPACITY * 120);
    }

    private static long inFlight(GeneratorState state) {
        return (long) state.pendingActions()
                + state.bufferedEvents()
                + state.openMergeRequests()
                + state.liveBranches()
                + state.trackedIssues();
    }

    private static GeneratorState peakState(GeneratorConfig config) {
        SyntheticEventGenerator generator = new SyntheticEventGenerator(config);
        GeneratorState peak = generator.state();
        long count = 0;
        while (generator.hasNext()) {
            generator.next();
            if (++count % 200 == 0) {
                GeneratorState state = generator.state();
                if (inFlight(state) > inFlight(peak)) {
                    peak = state;
                }
            }
        }
        assertThat(count).isGreaterThan(1000);
        return peak;
    }

    @Test
    void iteratorEndsCleanly() {
        SyntheticEventGenerator generator = new SyntheticEventGenerator(GeneratorConfig.of(1, 5, 1, 1));
        List<CloudEvent> events = new ArrayList<>();
        generator.forEachRemaining(events::add);
        assertThat(events).isNotEmpty();
        assertThat(generator.emitted()).isEqualTo(events.size());
        assertThat(generator.hasNext()).isFalse();
        assertThat(generator.progress()).isEqualTo(1.0);
        assertThatThrownBy(generator::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void invalidConfigsFailNamingTheSetting() {
        assertThatThrownBy(() -> GeneratorConfig.of(1, 0, 1, 1)).hasMessageContaining("users");
        assertThatThrownBy(() -> GeneratorConfig.of(1, 10, 0, 1)).hasMessageContaining("projects");
        assertThatThrownBy(() -> GeneratorConfig.of(1, 10, 1, 0)).hasMessageContaining("days");
        assertThatThrownBy(() -> GeneratorConfig.of(1, 10, 1, 1).withSpamFraction(1.0))
                .hasMessageContaining("spamFraction");
        assertThatThrownBy(() -> GeneratorConfig.of(1, 1, 1, 1).withSpamFraction(0.6))
                .hasMessageContaining("no normal user");
        assertThatThrownBy(() -> GeneratorConfig.of(1, 10, 1, 1).withLateFraction(-0.1))
                .hasMessageContaining("lateFraction");
        assertThatThrownBy(() -> GeneratorConfig.of(1, 10, 1, 1).withMaxJitter(Duration.ofSeconds(-1)))
                .hasMessageContaining("maxJitter");
        assertThatThrownBy(() -> GeneratorConfig.of(1, 10, 1, 1).withSource("not a uri"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<CloudEvent> sortedById(List<CloudEvent> events) {
        List<CloudEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(CloudEvent::id));
        return sorted;
    }
}
