package io.eventstream.jobs.bench;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.Decoded;
import io.eventstream.features.events.OrderedInput;
import io.eventstream.features.reviewers.ReviewerFeatureEngine;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.reviewers.ReviewerInput;
import io.eventstream.features.reviewers.ReviewerInputs;
import io.eventstream.features.reviewers.ReviewerOutput;
import io.eventstream.features.reviewers.ReviewerProjectState;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The practical limit of the reviewer features, and the growth of one project's state: the job's
 * per-event work as a plain single-threaded Java loop, no Flink, no Kafka, no output. Over JSON
 * records already in memory it decodes each ({@link CloudEventJson#read}), reduces it to a
 * {@link ReviewerInput} ({@link ReviewerInputs#from}), sorts the inputs by {@code (time, id)} and
 * applies them to per-project states ({@link ReviewerFeatureEngine#apply}), keeping only the row
 * counts. Like the job's expiry timers (one compaction per longest hop, a day by default), it
 * expires every state once per day of event time ({@link ReviewerFeatureEngine#expire}).
 *
 * <p>At the requested days it serializes the state of one project (the one with the most inputs
 * unless told otherwise) with {@link ReviewerProjectState#write}, the encoding checkpoints use, and
 * records its size by part; that CPU is not counted in the pass's rate.
 */
public final class ReviewerFeatureLoop {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long DAY = 86_400_000L;

    private final ReviewerJobConfig config;

    public ReviewerFeatureLoop(ReviewerJobConfig config) {
        this.config = config;
    }

    /**
     * The state of the sampled project at the end of a day (after that day's expiry).
     *
     * @param day            days since the start of the workload
     * @param bytes          serialized bytes of the whole state ({@link ReviewerProjectState#write})
     * @param bytesByPart    the same by part ({@link ReviewerProjectState#serializedBytesByPart})
     * @param summary        counts of records and tile entries ({@link ReviewerProjectState#sizeSummary})
     * @param serializeMillis  CPU time of one serialization
     */
    public record StateSample(
            int day, long bytes, Map<String, Long> bytesByPart, String summary, double serializeMillis) {}

    /**
     * One timed pass.
     *
     * @param records          records in
     * @param inputs           reviewer inputs among them
     * @param candidateRows    rows of {@code reviewer_candidates}
     * @param labelRows        rows of {@code reviewer_labels}
     * @param onlineRows       online rows built (both tables; the job's sinks upsert them)
     * @param invalid          records that did not decode (dead letters in the job)
     * @param sampledProject   the project whose state was sampled
     * @param sampledProjectInputs  its inputs
     * @param wallNanos        elapsed time of the pass, samples included
     * @param cpuNanos         CPU time of the calling thread during the pass, samples excluded
     * @param samples          the sampled project's state at the requested days that the events reached
     */
    public record Pass(
            long records,
            long inputs,
            long candidateRows,
            long labelRows,
            long onlineRows,
            long invalid,
            long sampledProject,
            long sampledProjectInputs,
            long wallNanos,
            long cpuNanos,
            List<StateSample> samples) {
        /** Records per CPU second of the one thread: the events/s one core can do. */
        public double eventsPerCpuSecond() {
            return records / (cpuNanos / 1e9);
        }
    }

    /**
     * Runs the loop once over the records of a JSON-lines file (structured-mode CloudEvents), read as
     * the loop goes (a hot year does not fit in memory twice); reading the lines is in the rate.
     *
     * @param startMillis  day 0 of the samples (the workload's start)
     * @param sampleDays   days at whose end the sampled project's state is measured
     * @param project      the project to sample, or null for the one with the most inputs
     */
    public Pass run(Path eventsFile, long startMillis, int[] sampleDays, Long project) throws IOException {
        long wall = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        long sampleCpu = 0;
        CloudEventJson json = new CloudEventJson();
        ReviewerFeatureEngine engine = new ReviewerFeatureEngine(new ReviewerFeatureSet(config));
        List<ReviewerInput> inputs = new ArrayList<>();
        long records = 0;
        long invalid = 0;
        LineReader lines = new LineReader(eventsFile);
        for (byte[] record = lines.next(); record != null; record = lines.next()) {
            records++;
            Decoded<CloudEvent> decoded = json.read(record);
            if (!decoded.isOk()) {
                invalid++;
                continue;
            }
            ReviewerInput input = ReviewerInputs.from(decoded.value());
            if (input != null) {
                inputs.add(input);
            }
        }
        inputs.sort(OrderedInput::compareOrder);
        long sampled = project != null ? project : busiestProject(inputs);

        Map<Long, ReviewerProjectState> states = new HashMap<>();
        List<StateSample> samples = new ArrayList<>();
        long candidates = 0;
        long labels = 0;
        long online = 0;
        long sampledInputs = 0;
        int nextSample = 0;
        long nextExpiry = startMillis + DAY;
        for (ReviewerInput input : inputs) {
            while (input.timeMillis >= nextExpiry) {
                expireAll(engine, states, nextExpiry);
                int day = (int) ((nextExpiry - startMillis) / DAY);
                while (nextSample < sampleDays.length && sampleDays[nextSample] <= day) {
                    long sampleStart = THREADS.getCurrentThreadCpuTime();
                    if (sampleDays[nextSample] == day) {
                        samples.add(sample(day, states.get(sampled)));
                    }
                    nextSample++;
                    sampleCpu += THREADS.getCurrentThreadCpuTime() - sampleStart;
                }
                nextExpiry += DAY;
            }
            ReviewerProjectState state = states.computeIfAbsent(input.projectId, p -> engine.newState());
            ReviewerOutput output = engine.apply(state, input);
            candidates += output.candidateRows().size();
            labels += output.labelRows().size();
            online += output.onlineUserRows().size() + output.onlinePathRows().size();
            if (input.projectId == sampled) {
                sampledInputs++;
            }
        }
        // The day the last event falls in ends with the input: sample it too when asked for.
        int lastDay = (int) ((nextExpiry - startMillis) / DAY);
        if (!inputs.isEmpty() && nextSample < sampleDays.length && sampleDays[nextSample] == lastDay) {
            long sampleStart = THREADS.getCurrentThreadCpuTime();
            expireAll(engine, states, nextExpiry);
            samples.add(sample(lastDay, states.get(sampled)));
            sampleCpu += THREADS.getCurrentThreadCpuTime() - sampleStart;
        }
        return new Pass(
                records,
                inputs.size(),
                candidates,
                labels,
                online,
                invalid,
                sampled,
                sampledInputs,
                System.nanoTime() - wall,
                THREADS.getCurrentThreadCpuTime() - cpu - sampleCpu,
                samples);
    }

    private static void expireAll(
            ReviewerFeatureEngine engine, Map<Long, ReviewerProjectState> states, long watermark) {
        for (Iterator<ReviewerProjectState> it = states.values().iterator(); it.hasNext(); ) {
            if (engine.expire(it.next(), watermark)) {
                it.remove();
            }
        }
    }

    private static StateSample sample(int day, ReviewerProjectState state) {
        if (state == null) {
            return new StateSample(day, 0, Map.of(), "no state", 0);
        }
        long cpu = THREADS.getCurrentThreadCpuTime();
        long bytes = serializedBytes(state);
        double millis = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6;
        return new StateSample(day, bytes, state.serializedBytesByPart(), state.sizeSummary(), millis);
    }

    private static long serializedBytes(ReviewerProjectState state) {
        ByteCountingOutput counter = new ByteCountingOutput();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(counter)) {
            state.write(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("counting bytes cannot fail", e);
        }
        return counter.bytes();
    }

    private static long busiestProject(List<ReviewerInput> inputs) {
        Map<Long, Long> counts = new HashMap<>();
        for (ReviewerInput input : inputs) {
            counts.merge(input.projectId, 1L, Long::sum);
        }
        return counts.entrySet().stream()
                .max(Map.Entry.<Long, Long>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey((a, b) -> Long.compare(b, a))))
                .map(Map.Entry::getKey)
                .orElse(-1L);
    }

    /** The lines of a file as bytes, without a detour through strings. */
    private static final class LineReader {
        private final byte[] buffer = new byte[1 << 16];
        private final java.io.InputStream in;
        private int position;
        private int limit;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(1024);

        LineReader(Path file) throws IOException {
            this.in = Files.newInputStream(file);
        }

        /** The next line without its newline, or null at the end (then the file is closed). */
        byte[] next() throws IOException {
            line.reset();
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer);
                    position = 0;
                    if (limit <= 0) {
                        in.close();
                        return line.size() > 0 ? line.toByteArray() : null;
                    }
                }
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                line.write(buffer, start, position - start);
                if (position < limit) {
                    position++;
                    return line.toByteArray();
                }
            }
        }
    }
}
