package io.eventstream.jobs.spam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.kafka.KafkaBrokerExtension;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.UserData;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.testing.DatasetChecks;
import io.eventstream.jobs.testing.EventInputs;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.RowSets;
import io.eventstream.jobs.testing.SpamJobRun;
import io.eventstream.jobs.testing.SpamTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on the production Kafka source against a real broker (KRaft, in-process): the generated
 * events on a topic with several partitions, every tenth in binary mode, give exactly the rows and
 * online table of the file-source run. A streaming run stopped midway marks only complete hours.
 */
@ExtendWith(FlinkTestCluster.class)
class SpamJobKafkaTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void kafkaSourceWithBinaryModeRecordsGivesTheRowsOfTheFileSource(@TempDir Path out) throws Exception {
        String topic = KAFKA.newTopic("spam-events", 4);
        long binary = EventInputs.produce(KAFKA.bootstrapServers(), topic, SpamTestData.events());
        assertThat(binary).isGreaterThan(10_000);

        SpamJobRun kafka = JobUnderTest.kafka(SpamTestData.JOB, KAFKA.bootstrapServers(), topic, true)
                .parallelism(2)
                .run(out);
        SpamJobRun files = SpamTestData.cliRun();

        assertThat(kafka.deadLetters()).as("dead letters").isEmpty();
        assertThat(kafka.lateEvents()).as("late events").isEmpty();
        RowSets.assertSameRows(
                "spam_features from kafka vs files",
                SpamTestData.FEATURE_SET.featureSchema(),
                "event_id",
                files.features(),
                kafka.features());
        RowSets.assertSameRows(
                "spam_labels from kafka vs files", SpamLabels.SCHEMA, "label_event_id", files.labels(), kafka.labels());
        RowSets.assertSameRows(
                "online table from kafka vs files",
                SpamTestData.FEATURE_SET.onlineSchema(),
                files.online().rows(),
                kafka.online().rows());
    }

    /**
     * A streaming run (unbounded Kafka source) stopped midway marks exactly the hours whose end plus
     * the allowed lateness is at or before the watermark, and those hours hold all their rows. To
     * know the watermark exactly, the last record of every partition is a sign-up of a new user at
     * the same time {@code T} (2 minutes past the hour after the last event): with per-partition
     * watermarks the job's watermark then settles at {@code T - bound - 1 ms} and stays there (no
     * more events). The hour ending at the top of that hour is then not complete (its end plus 5
     * minutes of lateness is after the watermark) and must not be marked, while it already has rows.
     */
    @Test
    void aStreamingRunMarksOnlyHoursWhoseEndPlusLatenessIsBehindTheWatermark(@TempDir Path out) throws Exception {
        List<CloudEvent> events = SpamTestData.events().subList(0, 20_000);
        long hour = Duration.ofHours(1).toMillis();
        long lastTime = events.stream().mapToLong(CloudEvent::timeMillis).max().orElseThrow();
        long markerTime = (lastTime / hour + 1) * hour + Duration.ofMinutes(2).toMillis();
        long watermark = markerTime - SpamTestData.CONFIG.maxOutOfOrdernessMillis() - 1;
        long lateness = SpamTestData.CONFIG.allowedLatenessMillis();

        String topic = KAFKA.newTopic("spam-stream", 3);
        EventInputs.produce(KAFKA.bootstrapServers(), topic, events);
        CloudEventJson json = new CloudEventJson();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int partition = 0; partition < 3; partition++) {
                long user = 800_000_000L + partition;
                CloudEvent marker = new CloudEvent(
                        "marker-" + partition,
                        "https://gitlab.example.com",
                        EventType.USER_CREATED,
                        Instant.ofEpochMilli(markerTime),
                        "users/" + user,
                        null,
                        null,
                        Long.toString(user),
                        new UserData(user, "u" + user, null, "U", null, "active", null, null));
                producer.send(new ProducerRecord<>(topic, partition, null, json.write(marker)))
                        .get();
            }
        }

        List<Object[]> expectedRows = SpamTestData.Expected.of(events).features();
        int time = SpamTestData.FEATURE_SET.featureSchema().timeIndex();
        Set<String> complete = new TreeSet<>();
        Set<String> incomplete = new TreeSet<>();
        for (Object[] row : expectedRows) {
            long hourStart = Math.floorDiv((Long) row[time], hour) * hour;
            (hourStart + hour + lateness <= watermark ? complete : incomplete)
                    .add(DatasetChecks.PARTITION.format(Instant.ofEpochMilli(hourStart)));
        }
        assertThat(incomplete)
                .as("the hour before the markers has rows but is not complete")
                .hasSize(1);

        JobUnderTest.Started<SpamJobRun> job = JobUnderTest.kafka(
                        SpamTestData.JOB, KAFKA.bootstrapServers(), topic, false)
                .parallelism(2)
                .start(out);
        Path features = job.outputs().version(SpamFeatureSet.FEATURES_DATASET);
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (!marked(features).equals(complete) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(marked(features)).as("hours marked complete").isEqualTo(complete);
            // Several more checkpoints: the incomplete hour must stay unmarked while the job runs on.
            Thread.sleep(6 * SpamTestData.CONFIG.checkpointIntervalMillis());
            assertThat(marked(features)).as("hours marked complete, later").isEqualTo(complete);
            assertThat(features.resolve(incomplete.iterator().next()))
                    .as("the incomplete hour has rows already")
                    .isDirectoryContaining(p -> p.getFileName().toString().endsWith(".parquet"));
        } finally {
            job.client().cancel().get(1, TimeUnit.MINUTES);
        }

        // A complete hour is complete: it holds every row the reference has for it.
        List<Object[]> inComplete = expectedRows.stream()
                .filter(row ->
                        complete.contains(DatasetChecks.PARTITION.format(Instant.ofEpochMilli((Long) row[time]))))
                .toList();
        List<Object[]> read = job.outputs().features().stream()
                .filter(row ->
                        complete.contains(DatasetChecks.PARTITION.format(Instant.ofEpochMilli((Long) row[time]))))
                .toList();
        RowSets.assertSameRows(
                "rows of the complete hours", SpamTestData.FEATURE_SET.featureSchema(), "event_id", inComplete, read);
    }

    /** The partitions ({@code dt=.../hour=...}) holding {@code _SUCCESS}. */
    private static Set<String> marked(Path version) {
        Set<String> marked = new TreeSet<>();
        for (Path partition : DatasetChecks.hourPartitions(version)) {
            if (Files.exists(partition.resolve("_SUCCESS"))) {
                marked.add(version.relativize(partition).toString());
            }
        }
        return marked;
    }
}
