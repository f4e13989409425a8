package io.eventstream.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.Decoded;
import io.eventstream.features.events.EventDigest;
import io.eventstream.features.events.EventMutator;
import io.eventstream.features.gitlab.Conversion;
import io.eventstream.features.gitlab.GitLabAdapter;
import io.eventstream.features.gitlab.GitLabFixtures;
import io.eventstream.features.reviewers.ReviewerInputs;
import io.eventstream.features.spam.SpamInputs;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.ReviewerJobRun;
import io.eventstream.jobs.testing.ReviewerTestData;
import io.eventstream.jobs.testing.SpamJobRun;
import io.eventstream.jobs.testing.SpamTestData;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * No input of any kind fails or restarts a job: seeded mutations of real GitLab payloads (the shared
 * fixtures, converted by the GitLab adapter, mutated before and after conversion) and of canonical
 * events, with exact redeliveries mixed in, go through both jobs on the MiniCluster with restarts
 * disabled (any exception fails the test), and every record is accounted for: each one that
 * decodes to a future-dated event or not at all is a dead letter with the decoder's reason, every
 * redelivery and conflicting copy of a kept event is dropped (conflicts also dead letters), and
 * every distinct kept content event is exactly one feature or late row.
 */
@ExtendWith(FlinkTestCluster.class)
class FuzzedInputTest {
    private static final Instant RECEIVED = Instant.parse("2026-01-01T00:00:00Z");
    private static final int RECORDS = 4_000;
    /**
     * The fuzzed stream mixes events years apart (the GitLab fixtures date from 2012 on, converted
     * kinds without a date take the receive time, 2026), so the watermark jumps: with the default
     * horizon a conflicting copy arriving after its original's state expired would be a new (late)
     * event instead of a conflict, depending on when watermarks are emitted. A century-long horizon
     * keeps the expected outcome exact (the end of input still clears every key).
     */
    private static final String HORIZON = "dedup:\n  horizon: 36500d\n";

    private static final JobUnderTest.Job<SpamJobRun> SPAM_JOB = SpamTestData.job(SpamTestData.CONFIG_YAML + HORIZON);
    private static final JobUnderTest.Job<ReviewerJobRun> REVIEWER_JOB =
            ReviewerTestData.job(ReviewerTestData.CONFIG_YAML + HORIZON);
    private static Path file;
    private static List<byte[]> records;

    @BeforeAll
    static void writeFuzzedRecords(@TempDir Path dir) throws IOException {
        CloudEventJson json = new CloudEventJson();
        GitLabAdapter adapter = new GitLabAdapter("https://gitlab.example.com");
        SplittableRandom random = new SplittableRandom(20_251_206L);

        List<byte[]> gitlabBodies = new ArrayList<>();
        Path fixtures = GitLabFixtures.directory().orElse(null);
        if (fixtures != null) {
            try (Stream<Path> paths = Files.walk(fixtures)) {
                for (Path path : paths.filter(p -> p.toString().endsWith(".json"))
                        .sorted()
                        .toList()) {
                    gitlabBodies.add(Files.readAllBytes(path));
                }
            }
        }
        List<byte[]> canonical = new ArrayList<>();
        for (CloudEvent event : SpamTestData.events().subList(0, 2_000)) {
            canonical.add(json.write(event));
        }
        for (CloudEvent event : ReviewerTestData.events().subList(0, 1_000)) {
            canonical.add(json.write(event));
        }

        records = new ArrayList<>();
        while (records.size() < RECORDS) {
            int kind = random.nextInt(10);
            if (kind < 3 && !gitlabBodies.isEmpty()) {
                byte[] body = gitlabBodies.get(random.nextInt(gitlabBodies.size()));
                if (random.nextBoolean()) {
                    body = EventMutator.mutate(body, random);
                }
                Conversion conversion = adapter.convert(body, null, null, RECEIVED);
                if (conversion.isOk()) {
                    for (CloudEvent event : conversion.events()) {
                        byte[] record = json.write(event);
                        records.add(random.nextBoolean() ? record : EventMutator.mutate(record, random));
                    }
                }
            } else if (kind < 9) {
                byte[] record = canonical.get(random.nextInt(canonical.size()));
                records.add(random.nextInt(3) == 0 ? record : EventMutator.mutate(record, random));
            } else if (!records.isEmpty()) {
                records.add(records.get(random.nextInt(records.size()))); // an exact redelivery
            }
        }
        file = dir.resolve("fuzzed.jsonl");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            for (byte[] record : records) {
                // A JSON-lines file cannot hold a raw line break inside a record: those become two records.
                for (byte b : record) {
                    out.write(b == '\n' || b == '\r' ? ' ' : b);
                }
                out.write('\n');
            }
        }
        records = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            if (!line.isBlank()) {
                records.add(line.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    void theSpamJobAccountsForEveryRecord(@TempDir Path out) throws Exception {
        SpamInputs reduce = new SpamInputs(SpamTestData.CONFIG, SpamTestData.hashKey());
        Expected expected = expected(
                e -> reduce.from(e) != null || SpamLabels.labelRow(e) != null,
                e -> reduce.from(e) != null && reduce.from(e).isContent(),
                SpamTestData.CONFIG.maxFutureMillis());
        SpamJobRun run = JobUnderTest.files(SPAM_JOB, file).parallelism(2).run(out);

        assertThat(reasons(run.deadLetters())).as("dead letters per reason").isEqualTo(expected.deadLetters());
        Set<Object> contentIds = new HashSet<>(expected.contentIds());
        List<Object> rowIds = new ArrayList<>();
        run.features().forEach(row -> rowIds.add(row[0]));
        List<Object> lateIds = run.lateEvents().stream().map(row -> row[0]).toList();
        lateIds.stream().filter(contentIds::contains).forEach(rowIds::add);
        assertThat(rowIds)
                .as("one feature or late row per distinct kept content event")
                .containsExactlyInAnyOrderElementsOf(expected.contentIds());
        assertThat(expected.keptIds()).as("late rows are of kept events").containsAll(lateIds);
        assertThat(expected.contentIds()).hasSizeGreaterThan(300);
        assertThat(expected.duplicates()).isGreaterThan(100);
        assertThat(expected.accountedFor()).as("every record accounted for").isEqualTo(records.size());
    }

    @Test
    void theReviewerJobAccountsForEveryRecord(@TempDir Path out) throws Exception {
        Expected expected =
                expected(e -> ReviewerInputs.from(e) != null, e -> false, ReviewerTestData.CONFIG.maxFutureMillis());
        ReviewerJobRun run =
                JobUnderTest.files(REVIEWER_JOB, file).parallelism(2).run(out);

        assertThat(reasons(run.deadLetters())).as("dead letters per reason").isEqualTo(expected.deadLetters());
        assertThat(expected.kept()).isGreaterThan(300);
        assertThat(expected.accountedFor()).as("every record accounted for").isEqualTo(records.size());
    }

    /**
     * What a job must do with each record: dead letter (per reason), duplicate, ignored (decodes but
     * the job has no use for it) or kept; and the ids of the kept content events.
     */
    private record Expected(
            Map<String, Integer> deadLetters,
            int duplicates,
            int ignored,
            int kept,
            List<Object> contentIds,
            Set<Object> keptIds) {

        /** Dead letters + duplicates + ignored + kept, a conflicting copy (dead letter and duplicate) once. */
        int accountedFor() {
            return deadLetters.values().stream().mapToInt(Integer::intValue).sum()
                    - deadLetters.getOrDefault("DUPLICATE_CONFLICT", 0)
                    + duplicates
                    + ignored
                    + kept;
        }
    }

    private static Expected expected(Predicate<CloudEvent> relevant, Predicate<CloudEvent> content, long maxFuture) {
        CloudEventJson json = new CloudEventJson();
        EventDigest digest = new EventDigest();
        Map<String, Integer> deadLetters = new TreeMap<>();
        Map<List<String>, Long> seen = new HashMap<>();
        int duplicates = 0;
        int ignored = 0;
        int kept = 0;
        List<Object> contentIds = new ArrayList<>();
        Set<Object> keptIds = new HashSet<>();
        long now = System.currentTimeMillis();
        for (byte[] record : records) {
            Decoded<CloudEvent> decoded = json.read(record);
            if (!decoded.isOk()) {
                deadLetters.merge(decoded.error().reason().name(), 1, Integer::sum);
                continue;
            }
            CloudEvent event = decoded.value();
            long recorded = RawEventTime.recordedAt(
                    RawEvent.NO_TIMESTAMP,
                    event.recordedTime() == null ? null : event.recordedTime().toEpochMilli(),
                    now);
            if (RawEventTime.isFuture(event.timeMillis(), recorded, maxFuture)) {
                deadLetters.merge("FUTURE_TIME", 1, Integer::sum);
                continue;
            }
            if (!relevant.test(event)) {
                ignored++;
                continue;
            }
            Long first = seen.putIfAbsent(List.of(event.source(), event.id()), digest.of(event));
            if (first == null) {
                kept++;
                keptIds.add(event.id());
                if (content.test(event)) {
                    contentIds.add(event.id());
                }
            } else {
                duplicates++;
                if (first != digest.of(event)) {
                    deadLetters.merge("DUPLICATE_CONFLICT", 1, Integer::sum);
                }
            }
        }
        return new Expected(deadLetters, duplicates, ignored, kept, contentIds, keptIds);
    }

    private static Map<String, Integer> reasons(List<Object[]> deadLetters) {
        Map<String, Integer> reasons = new TreeMap<>();
        deadLetters.forEach(row -> reasons.merge((String) row[1], 1, Integer::sum));
        return reasons;
    }
}
