package io.eventstream.jobs.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.archive.ArchiveCut;
import io.eventstream.connectors.archive.ArchiveLayout;
import io.eventstream.connectors.archive.EventArchive;
import io.eventstream.connectors.deadletter.DeadLetters;
import io.eventstream.connectors.kafka.KafkaBrokerExtension;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.reviewers.NaiveReviewerReference;
import io.eventstream.features.spam.NaiveSpamReference;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamInputs;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.cli.EventstreamCli;
import io.eventstream.jobs.common.LateRows;
import io.eventstream.jobs.testing.DuckDbDatasets;
import io.eventstream.jobs.testing.EventInputs;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobRun;
import io.eventstream.jobs.testing.ReviewerJobRun;
import io.eventstream.jobs.testing.ReviewerTestData;
import io.eventstream.jobs.testing.RowSets;
import io.eventstream.jobs.testing.SpamTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backfill and replay through the command line, against a real broker: the first half of 40,000 of the
 * spam tests' generated events (20,000 events, about four days) is on Kafka and archived by the
 * archive job; then the second half arrives on Kafka. A spam job with a different window config
 * ({@code spam-coarse.yaml}'s windows) replays the archive and switches to Kafka: its rows equal
 * the naive reference over the whole stream with that config, each event's row once (no gap, no
 * duplicate at the switch). A bounded backfill of two days of the archive gives the reference's
 * rows for those days, in batch and in streaming execution alike. The reviewer job backfilled from
 * the archive writes the naive reviewer reference's datasets and online tables for the archived half.
 */
@ExtendWith(FlinkTestCluster.class)
class BackfillTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    /** spam-coarse.yaml's windows and features, with the tests' hash key and checkpoint interval. */
    static final String COARSE_YAML = """
            windows:
              1h:  { length: 1h,  hop: 15m }
              24h: { length: 24h, hop: 2h }
              7d:  { length: 7d,  hop: 1d }
              30d: { length: 30d, hop: 1d }
            features:
              notes: [1h, 24h]
              issues: [1h, 24h]
              merge_requests: [24h]
              distinct_projects: [1h, 24h]
              links: [1h]
              content_events: [7d]
              text_repeat_count: [24h]
              prior_spam_verdicts: [30d]
            checkpoint:
              interval: 500ms
            hashing:
              key: jobs-test-hash-key-0123456789
            """;

    static final SpamJobConfig COARSE = SpamJobConfig.parse(COARSE_YAML);
    static final SpamFeatureSet COARSE_FEATURES = new SpamFeatureSet(COARSE);

    private static List<CloudEvent> events;
    private static List<CloudEvent> firstHalf;
    private static String topic;
    private static Path archive;
    private static Path work;

    @BeforeAll
    static void archiveTheFirstHalfThenProduceTheSecond(@TempDir Path dir) throws Exception {
        work = dir;
        events = SpamTestData.events().subList(0, 40_000);
        firstHalf = events.subList(0, events.size() / 2);
        topic = KAFKA.newTopic("backfill-events", 4);
        archive = dir.resolve("archive");
        EventInputs.produce(KAFKA.bootstrapServers(), topic, firstHalf);
        Path archiveConfig = Files.writeString(dir.resolve("archive.yaml"), ArchiveTestData.CONFIG_YAML);
        cli(
                "run",
                "archive",
                "--config",
                archiveConfig.toString(),
                "--kafka",
                KAFKA.bootstrapServers(),
                "--topic",
                topic,
                "--bounded",
                "--root",
                archive.toString(),
                "--parallelism",
                "2");
        EventInputs.produce(KAFKA.bootstrapServers(), topic, events.subList(firstHalf.size(), events.size()));
    }

    @Test
    void replayingTheArchiveThenKafkaGivesTheRowsOfOneRunOverTheWholeStream() throws Exception {
        assertThat(DuckDbDatasets.rows(archive.resolve(EventArchive.DATASET).resolve("v1"), EventArchive.schema()))
                .as("the archive holds the first half")
                .hasSize(firstHalf.size());
        ArchiveCut cut = ArchiveCut.scan(ArchiveLayout.root(archive.toString()));
        assertThat(cut.nextOffsets().values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .as("the cut is after the first half")
                .isEqualTo(firstHalf.size());

        Path out = work.resolve("hybrid");
        cli(
                "backfill",
                "spam",
                "--config",
                config("coarse.yaml").toString(),
                "--archive",
                archive.toString(),
                "--kafka",
                KAFKA.bootstrapServers(),
                "--topic",
                topic,
                "--bounded",
                "--out",
                out.toString(),
                "--parallelism",
                "2");

        assertSameRowsAsReference("archive then kafka", out, events);
    }

    @Test
    void aBoundedBackfillOfATimeRangeGivesTheSameRowsInBatchAndStreamingExecution() throws Exception {
        Instant from = Instant.ofEpochMilli(firstHalf.get(0).timeMillis())
                .plus(Duration.ofDays(1))
                .truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        Instant to = from.plus(Duration.ofDays(2));
        List<CloudEvent> inRange = firstHalf.stream()
                .filter(e -> !e.time().isBefore(from) && e.time().isBefore(to))
                .toList();
        assertThat(firstHalf.get(firstHalf.size() - 1).time()).isAfter(to);

        for (String mode : List.of("batch", "streaming")) {
            Path out = work.resolve("bounded-" + mode);
            cli(
                    "backfill",
                    "spam",
                    "--config",
                    config("coarse.yaml").toString(),
                    "--archive",
                    archive.toString(),
                    "--from",
                    from.toString(),
                    "--to",
                    to.toString(),
                    "--mode",
                    mode,
                    "--out",
                    out.toString(),
                    "--parallelism",
                    "2");
            assertSameRowsAsReference(mode + " backfill of " + from + " to " + to, out, inRange);
        }
    }

    @Test
    void theReviewerJobBackfillsFromTheArchiveToo() throws Exception {
        Path out = work.resolve("reviewers");
        Path config = Files.writeString(work.resolve("reviewers.yaml"), ReviewerTestData.CONFIG_YAML);
        String online = "sqlite:" + out.resolve(ReviewerTestData.JOB.onlineFile());
        cli(
                "backfill",
                "reviewers",
                "--config",
                config.toString(),
                "--archive",
                archive.toString(),
                "--out",
                out.toString(),
                "--online",
                online,
                "--parallelism",
                "2");
        Map<String, Path> versions = new LinkedHashMap<>();
        ReviewerTestData.JOB
                .datasets()
                .forEach(dataset -> versions.put(dataset, out.resolve(dataset).resolve("v1")));
        ReviewerJobRun run = new ReviewerJobRun(new JobRun(out, versions, online, null));
        run.assertEqualsReference(
                new NaiveReviewerReference(ReviewerTestData.FEATURE_SET).compute(firstHalf),
                "reviewers backfilled from the archive (batch)");
    }

    private static void assertSameRowsAsReference(String what, Path out, Collection<CloudEvent> input) {
        NaiveSpamReference reference =
                new NaiveSpamReference(COARSE_FEATURES, new SpamInputs(COARSE, SpamTestData.hashKey()));
        List<Object[]> expected = reference.featureRows(input);
        List<Object[]> features = DuckDbDatasets.rows(
                out.resolve(SpamFeatureSet.FEATURES_DATASET).resolve("v1"), COARSE_FEATURES.featureSchema());
        assertThat(features).as(what + ": one row per content event").hasSize(expected.size());
        RowSets.assertSameRows(
                what + ": spam_features", COARSE_FEATURES.featureSchema(), "event_id", expected, features);
        RowSets.assertSameRows(
                what + ": spam_labels",
                SpamLabels.SCHEMA,
                "label_event_id",
                NaiveSpamReference.labelRows(input),
                DuckDbDatasets.rows(out.resolve(SpamLabels.DATASET).resolve("v1"), SpamLabels.SCHEMA));
        assertThat(DuckDbDatasets.rows(out.resolve(LateRows.DATASET).resolve("v1"), LateRows.SCHEMA))
                .as(what + ": late")
                .isEmpty();
        assertThat(DuckDbDatasets.rows(out.resolve(DeadLetters.DATASET).resolve("v1"), DeadLetters.schema()))
                .as(what + ": dead letters")
                .isEmpty();
    }

    private static Path config(String name) throws Exception {
        Path file = work.resolve(name);
        return Files.exists(file) ? file : Files.writeString(file, COARSE_YAML);
    }

    private static void cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        int exit = EventstreamCli.commandLine().execute(all.toArray(String[]::new));
        assertThat(exit).as("eventstream " + String.join(" ", args)).isZero();
    }
}
