package io.eventstream.generator;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.EventData;
import io.eventstream.features.events.EventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * A deterministic, streaming generator of synthetic GitLab activity as canonical {@link CloudEvent}s.
 *
 * <p>Events come out in <em>emission order</em>: each event is emitted at its event time plus a
 * jitter in {@code [0, maxJitter]} (or, for a {@code lateFraction} of them, {@code lateDelay} to
 * {@code 2 * lateDelay} late); {@code recordedtime} is that emission time. So event time is out of
 * order by at most {@code maxJitter} apart from the late events. The same config gives the same
 * events, byte for byte once encoded; the jitter and lateness draws use their own random stream,
 * so changing them reorders the same events without changing them.
 *
 * <p>Pull-based and lazy: {@link #next()} advances the simulation only as far as needed, and the
 * state it keeps is bounded by users, projects and open merge requests ({@link #state()}), not by
 * the number of days. Use it as an {@link Iterator}, or push everything into a consumer with
 * {@link #generate(Consumer)}. Not thread-safe.
 *
 * <p>Event ids are {@code g<seed in hex>-<12-digit counter>}, so ids sort in generation order and
 * differ between seeds. {@code partitionkey} is the user the event is about (the actor, the member,
 * the content author for verdicts, the reported user). Ground truth goes to the {@link TruthSink}.
 */
public final class SyntheticEventGenerator implements Iterator<CloudEvent> {

    /** Ordered by emission time, then by generation order. */
    private record Pending(long emitAt, long sequence, CloudEvent event) implements Comparable<Pending> {
        @Override
        public int compareTo(Pending other) {
            int byTime = Long.compare(emitAt, other.emitAt);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final GeneratorConfig config;
    private final Simulation simulation;
    private final Rng emissionRng;
    private final PriorityQueue<Pending> buffer = new PriorityQueue<>();
    private final Map<EventType, String> schemaUris = new EnumMap<>(EventType.class);
    private final String idPrefix;
    private final long startMillis;
    private final long endMillis;
    private final long maxJitterMillis;
    private final long lateDelayMillis;
    private long generated;
    private long emitted;

    public SyntheticEventGenerator(GeneratorConfig config) {
        this(config, TruthSink.discard());
    }

    public SyntheticEventGenerator(GeneratorConfig config, TruthSink truth) {
        this.config = config;
        this.idPrefix = "g" + Long.toHexString(config.seed()) + "-";
        this.startMillis = config.start().toEpochMilli();
        this.endMillis = config.end().toEpochMilli();
        this.maxJitterMillis = config.maxJitter().toMillis();
        this.lateDelayMillis = config.lateDelay().toMillis();
        // A separate stream: jitter and lateness settings must not change what is simulated.
        this.emissionRng = new Rng(config.seed() ^ 0x6A09E667F3BCC909L);
        for (EventType type : EventType.values()) {
            schemaUris.put(type, CloudEvent.schemaUri(type));
        }
        this.simulation = new Simulation(config, truth, this::buffer);
    }

    /** All events of a config, in emission order. For tests and small runs: holds everything in memory. */
    public static List<CloudEvent> generateAll(GeneratorConfig config) {
        List<CloudEvent> events = new ArrayList<>();
        new SyntheticEventGenerator(config).generate(events::add);
        return events;
    }

    @Override
    public boolean hasNext() {
        while (true) {
            Pending head = buffer.peek();
            long nextAction = simulation.nextActionTime();
            // Every event still to be generated has a time, hence an emission time, >= the next action's time.
            if (head != null && head.emitAt() <= nextAction) {
                return true;
            }
            if (nextAction == Long.MAX_VALUE) {
                return false;
            }
            simulation.step();
        }
    }

    @Override
    public CloudEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the simulated period is over");
        }
        emitted++;
        return buffer.poll().event();
    }

    /** Pushes every remaining event to {@code out}; returns how many. */
    public long generate(Consumer<? super CloudEvent> out) {
        long count = 0;
        while (hasNext()) {
            out.accept(next());
            count++;
        }
        return count;
    }

    /** Share of the simulated period done, in [0, 1]; for progress bars. */
    public double progress() {
        double done = (double) (simulation.now() - startMillis) / (endMillis - startMillis);
        return hasBufferedOrPending() ? Math.min(1.0, Math.max(0.0, done)) : 1.0;
    }

    /** Simulated time reached so far. */
    public Instant simulatedTime() {
        return Instant.ofEpochMilli(simulation.now());
    }

    /** Events returned by {@link #next()} so far. */
    public long emitted() {
        return emitted;
    }

    /** What the generator holds right now; bounded independently of {@code days}. */
    public GeneratorState state() {
        return simulation.state(buffer.size());
    }

    public GeneratorConfig config() {
        return config;
    }

    private boolean hasBufferedOrPending() {
        return !buffer.isEmpty() || simulation.nextActionTime() != Long.MAX_VALUE;
    }

    private String buffer(EventType type, long time, String subject, long partitionUser, EventData data) {
        long sequence = ++generated;
        String counter = Long.toString(sequence);
        String id = idPrefix + "000000000000".substring(Math.min(12, counter.length())) + counter;
        if (time >= endMillis) {
            return id; // the tail of a multi-step action that runs past the period: not part of the run
        }
        long emitAt;
        if (config.lateFraction() > 0 && emissionRng.uniform() < config.lateFraction()) {
            emitAt = time + lateDelayMillis + emissionRng.betweenMillis(0, lateDelayMillis + 1);
        } else {
            emitAt = time + (maxJitterMillis > 0 ? emissionRng.betweenMillis(0, maxJitterMillis + 1) : 0);
        }
        CloudEvent event = new CloudEvent(
                id,
                config.source(),
                type,
                Instant.ofEpochMilli(time),
                subject,
                schemaUris.get(type),
                Instant.ofEpochMilli(emitAt),
                Long.toString(partitionUser),
                data);
        buffer.add(new Pending(emitAt, sequence, event));
        return id;
    }
}
