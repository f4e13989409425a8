package io.eventstream.jobs.testing;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.EventType;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The shared generated events with what real input also carries mixed in, as one JSON-lines file:
 * identical redeliveries and conflicting copies (same source and id, other content), up to 50 and
 * 30 events after the original and within 12 hours of its time, events dated in
 * the future, malformed lines (two objects on one line, trailing garbage, a fractional
 * {@code author_id}, a numeric {@code body}, a time outside the representable range) and, at the
 * end, very late copies of early events under new ids. A job must write exactly what it writes for
 * the clean events (the naive reference's output), plus the dead letters and late rows listed here.
 *
 * @param file         the JSON-lines file
 * @param deadLetters  every dead letter expected, as {@code [line, reason]}
 * @param lateIds      ids of the events expected in {@code late_events}
 * @param duplicates   how many identical redeliveries the file holds
 */
public record MixedInput(Path file, List<List<Object>> deadLetters, Set<String> lateIds, int duplicates) {

    private static final CloudEventJson JSON = new CloudEventJson();
    /** How much newer than an event the events before its redelivery may be (see {@link #redeliveryAfter}). */
    private static final Duration REDELIVERY_WINDOW = Duration.ofHours(12);

    /**
     * The clean events with the others mixed in.
     *
     * @param clean     the events the reference sees, in emission order
     * @param relevant  which events the job keeps (others are dropped before deduplication, so their copies are not conflicts)
     * @param late      which events may be copied as late events (each must give the job a late row)
     */
    public static MixedInput write(
            List<CloudEvent> clean,
            Predicate<CloudEvent> relevant,
            Predicate<CloudEvent> late,
            String directoryPrefix) {
        // Extra lines to write after the clean event of a given index, in order.
        TreeMap<Integer, List<Extra>> after = new TreeMap<>();
        int duplicates = 0;
        for (int i = 0; i + 50 < clean.size(); i += 997) {
            after.computeIfAbsent(redeliveryAfter(clean, i, 50), k -> new ArrayList<>())
                    .add(new Extra(line(clean.get(i)), null));
            duplicates++;
        }
        for (int start = 500; start + 100 < clean.size(); start += 1_999) {
            int i = start;
            while (!relevant.test(clean.get(i))) {
                i++;
            }
            CloudEvent original = clean.get(i);
            after.computeIfAbsent(redeliveryAfter(clean, i, 30), k -> new ArrayList<>())
                    .add(new Extra(
                            line(withTime(original, original.time().plusMillis(1), original.id())),
                            "DUPLICATE_CONFLICT"));
        }
        for (int i = 1_000; i < clean.size(); i += 3_001) {
            CloudEvent original = clean.get(i);
            Instant recorded = original.recordedTime();
            after.computeIfAbsent(i, k -> new ArrayList<>())
                    .add(new Extra(
                            line(withTime(
                                    original,
                                    recorded.plus(Duration.ofMinutes(10)).plusMillis(1),
                                    "future-" + i)),
                            "FUTURE_TIME"));
        }
        CloudEvent note = clean.stream()
                .filter(e -> e.type() == EventType.NOTE_CREATED)
                .findFirst()
                .orElseThrow();
        String noteLine = line(note);
        int middle = clean.size() / 2;
        List<Extra> malformed = after.computeIfAbsent(middle, k -> new ArrayList<>());
        malformed.add(
                new Extra(line(withTime(note, Instant.parse("2099-01-01T00:00:00Z"), "year-2099")), "FUTURE_TIME"));
        malformed.add(new Extra(line(renamed(note, "two-a")) + line(renamed(note, "two-b")), "MALFORMED_JSON"));
        malformed.add(new Extra(line(renamed(note, "trailing")) + " x", "MALFORMED_JSON"));
        malformed.add(new Extra(
                line(renamed(note, "fraction")).replaceFirst("\"author_id\":\\d+", "\"author_id\":139.7"),
                "INVALID_FIELD"));
        malformed.add(new Extra(
                line(renamed(note, "numeric-body")).replaceFirst("\"body\":\"[^\"]*\"", "\"body\":12"),
                "INVALID_FIELD"));
        malformed.add(new Extra(
                noteLine.replaceFirst("\"id\":\"[^\"]*\"", "\"id\":\"poison\"")
                        .replaceFirst("\"time\":\"[^\"]*\"", "\"time\":\"+999999999-12-31T23:59:59Z\""),
                "BAD_TIMESTAMP"));

        List<String> lateLines = new ArrayList<>();
        Set<String> lateIds = new LinkedHashSet<>();
        for (CloudEvent event : clean.subList(0, Math.min(clean.size(), 5_000))) {
            if (lateIds.size() < 8 && late.test(event)) {
                CloudEvent copy = renamed(event, "late-" + event.id());
                lateIds.add(copy.id());
                lateLines.add(line(copy));
            }
        }

        List<List<Object>> deadLetters = new ArrayList<>();
        try {
            Path file = Files.createTempDirectory(directoryPrefix).resolve("mixed.jsonl");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                long lineNumber = 0;
                for (int i = 0; i < clean.size(); i++) {
                    write(out, line(clean.get(i)));
                    lineNumber++;
                    for (Extra extra : after.getOrDefault(i, List.of())) {
                        write(out, extra.line());
                        lineNumber++;
                        if (extra.reason() != null) {
                            deadLetters.add(List.of(lineNumber, extra.reason()));
                        }
                    }
                }
                for (String lateLine : lateLines) {
                    write(out, lateLine);
                }
            }
            return new MixedInput(file, deadLetters, lateIds, duplicates);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The clean event after which a copy of event {@code i} goes: {@code lines} events later, or
     * earlier where the events get more than {@link #REDELIVERY_WINDOW} newer than the original
     * before that. A copy must come while the job still remembers the original (within the
     * deduplication horizon, a day past the allowed lateness by default): a copy that comes after the
     * watermark has passed that is a late event, and whether it has passed when the copy comes
     * depends on when the source emits its periodic watermark, so no output could be expected of it.
     */
    private static int redeliveryAfter(List<CloudEvent> clean, int i, int lines) {
        Instant limit = clean.get(i).time().plus(REDELIVERY_WINDOW);
        int after = i;
        while (after < i + lines
                && after + 1 < clean.size()
                && !clean.get(after + 1).time().isAfter(limit)) {
            after++;
        }
        return after;
    }

    /** The line number of each dead letter: the number after the last colon of its origin. */
    public static long lineOf(Object origin) {
        String text = (String) origin;
        return Long.parseLong(text.substring(text.lastIndexOf(':') + 1));
    }

    private record Extra(String line, String reason) {}

    private static String line(CloudEvent event) {
        return JSON.writeString(event);
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }

    private static CloudEvent renamed(CloudEvent event, String id) {
        return withTime(event, event.time(), id);
    }

    private static CloudEvent withTime(CloudEvent event, Instant time, String id) {
        return new CloudEvent(
                id,
                event.source(),
                event.type(),
                time,
                event.subject(),
                event.dataschema(),
                event.recordedTime(),
                event.partitionKey(),
                event.data());
    }
}
