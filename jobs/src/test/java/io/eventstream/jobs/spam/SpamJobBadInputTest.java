package io.eventstream.jobs.spam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.UserData;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.features.spam.SpamInputs;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.RowSets;
import io.eventstream.jobs.testing.SpamJobRun;
import io.eventstream.jobs.testing.SpamTestData;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.PipelineOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input never fails the job and never disturbs the good input: malformed JSON, an oversized
 * line, an unknown type and a missing attribute become dead letters (reason, origin, raw bytes);
 * events far behind the watermark become late_events rows (which events, how late); every other
 * output equals the reference computed on the clean, in-time events alone.
 *
 * <p>How lateness is made exact: the late events come at the end of the file, after a run of
 * {@value #PUSHERS} sign-ups of new users that all happen at one time {@code T}, one hour after the
 * last clean event. With watermarks emitted every millisecond, the watermark when the late events
 * arrive is exactly {@code T - bound - 1 ms}, whatever the machine's speed, so each late row's
 * lateness is known in advance. The pushers produce no feature, label or online row.
 */
@ExtendWith(FlinkTestCluster.class)
class SpamJobBadInputTest {
    private static final int CLEAN = 30_000;
    private static final int PUSHERS = 20_000;

    @Test
    void badRecordsAreDeadLettersVeryLateEventsAreLateRowsAndTheRestIsUnaffected(@TempDir Path out) throws Exception {
        List<CloudEvent> generated = SpamTestData.events().subList(0, CLEAN);
        SpamInputs reduce = new SpamInputs(SpamTestData.CONFIG, SpamTestData.hashKey());

        // Very late: early content, membership and label events, moved to the end of the stream.
        List<CloudEvent> late = new ArrayList<>();
        int content = 0;
        int other = 0;
        int labels = 0;
        for (CloudEvent event : generated.subList(0, 5_000)) {
            SpamInput input = reduce.from(event);
            boolean label = SpamLabels.labelRow(event) != null;
            if (label && labels < 4) {
                labels++;
                late.add(event);
            } else if (!label && input != null && input.isContent() && content < 12) {
                content++;
                late.add(event);
            } else if (!label && input != null && !input.isContent() && other < 4) {
                other++;
                late.add(event);
            }
        }
        assertThat(late).hasSize(20);
        List<CloudEvent> clean = new ArrayList<>(generated);
        clean.removeAll(late);

        long lastTime =
                generated.stream().mapToLong(CloudEvent::timeMillis).max().orElseThrow();
        long pushTime = lastTime + Duration.ofHours(1).toMillis();
        List<CloudEvent> pushers = new ArrayList<>();
        for (int i = 0; i < PUSHERS; i++) {
            long user = 900_000_000L + i;
            pushers.add(new CloudEvent(
                    "push-" + i,
                    "https://gitlab.example.com",
                    EventType.USER_CREATED,
                    Instant.ofEpochMilli(pushTime),
                    "users/" + user,
                    null,
                    null,
                    Long.toString(user),
                    new UserData(user, "u" + user, null, "U", null, "active", null, null)));
        }

        // The file: clean events with bad lines spread among them, then the pushers, then the late events.
        CloudEventJson json = new CloudEventJson();
        CloudEvent note = clean.stream()
                .filter(e -> e.type() == EventType.NOTE_CREATED)
                .findFirst()
                .orElseThrow();
        String validNote = json.writeString(note);
        byte[] oversized =
                ("{\"specversion\":\"1.0\",\"pad\":\"" + "x".repeat(3 << 19) + "\"}").getBytes(StandardCharsets.UTF_8);
        Map<Integer, byte[]> bad = new LinkedHashMap<>();
        bad.put(101, "{\"specversion\":\"1.0\",\"id\":".getBytes(StandardCharsets.UTF_8));
        bad.put(2_002, oversized);
        bad.put(
                7_003,
                validNote
                        .replace("\"type\":\"com.gitlab.note.created\"", "\"type\":\"com.gitlab.note.teleported\"")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(new String(bad.get(7_003), StandardCharsets.UTF_8)).contains("com.gitlab.note.teleported");
        bad.put(15_004, validNote.replaceFirst("\"id\":\"[^\"]*\",", "").getBytes(StandardCharsets.UTF_8));
        assertThat(new String(bad.get(15_004), StandardCharsets.UTF_8)).doesNotContain("\"id\"");

        Path file = Files.createDirectories(out.resolve("in")).resolve("events.jsonl");
        String origin = "file:" + file.toAbsolutePath().toUri().getPath() + ":";
        try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            int line = 0;
            for (CloudEvent event : concat(clean, pushers, late)) {
                while (bad.containsKey(line + 1)) {
                    stream.write(bad.get(++line));
                    stream.write('\n');
                }
                stream.write(json.write(event));
                stream.write('\n');
                line++;
            }
        }

        SpamJobRun run = JobUnderTest.files(SpamTestData.JOB, file)
                .parallelism(2)
                .environment(conf -> conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(1)))
                .run(out.resolve("run"));

        // Dead letters: exactly the four bad lines, with their reason, line, digest and size (never their bytes).
        List<List<Object>> deadLetters = run.deadLetters().stream()
                .map(row -> Arrays.asList(row[0], row[1], row[2], row[4], row[5]))
                .toList();
        assertThat(deadLetters)
                .as("dead letters: origin, reason, field, SHA-256, size")
                .containsExactlyInAnyOrder(
                        Arrays.asList(
                                origin + 101, "MALFORMED_JSON", null, sha256(bad.get(101)), (long) bad.get(101).length),
                        Arrays.asList(
                                origin + 2_002,
                                "OVERSIZED",
                                null,
                                sha256(Arrays.copyOf(oversized, CloudEventJson.DEFAULT_MAX_BYTES + 1)),
                                (long) oversized.length),
                        Arrays.asList(origin + 7_003, "UNKNOWN_TYPE", "type", sha256(bad.get(7_003)), (long)
                                bad.get(7_003).length),
                        Arrays.asList(origin + 15_004, "MISSING_FIELD", "id", sha256(bad.get(15_004)), (long)
                                bad.get(15_004).length));
        assertThat(oversized.length).isGreaterThan(1 << 20);

        // Late events: every late event once per stream it belongs to, as late as the pushed watermark says.
        long watermark = pushTime - SpamTestData.CONFIG.maxOutOfOrdernessMillis() - 1;
        List<List<Object>> expectedLate = new ArrayList<>();
        for (CloudEvent event : late) {
            SpamInput input = reduce.from(event);
            if (input != null) {
                expectedLate.add(List.of(
                        event.id(),
                        SpamFeatureFunction.STREAM,
                        event.timeMillis(),
                        input.userId,
                        watermark,
                        watermark - event.timeMillis()));
            }
            Object[] label = SpamLabels.labelRow(event);
            if (label != null) {
                expectedLate.add(List.of(
                        event.id(),
                        SpamLabels.DATASET,
                        event.timeMillis(),
                        label[SpamLabels.SCHEMA.indexOf("user_id")],
                        watermark,
                        watermark - event.timeMillis()));
            }
        }
        assertThat(expectedLate).hasSizeGreaterThanOrEqualTo(20);
        assertThat(run.lateEvents().stream().map(Arrays::asList).toList())
                .as("late_events rows")
                .containsExactlyInAnyOrderElementsOf(expectedLate);

        // Everything else: as if the bad and the late records had never been there.
        SpamTestData.Expected expected = SpamTestData.Expected.of(concat(clean, pushers, List.of()));
        DatasetSchema features = SpamTestData.FEATURE_SET.featureSchema();
        RowSets.assertSameRows("spam_features", features, "event_id", expected.features(), run.features());
        RowSets.assertSameRows("spam_labels", SpamLabels.SCHEMA, "label_event_id", expected.labels(), run.labels());
        RowSets.assertSameRows(
                "online table",
                SpamTestData.FEATURE_SET.onlineSchema(),
                expected.online(),
                run.online().rows());
    }

    /** SHA-256 hex of what the source delivered (an over-long line: its first limit + 1 bytes), by the JDK directly. */
    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @SafeVarargs
    private static List<CloudEvent> concat(List<CloudEvent>... parts) {
        List<CloudEvent> all = new ArrayList<>();
        for (List<CloudEvent> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}
