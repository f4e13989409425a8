package io.eventstream.jobs.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.connectors.archive.EventArchive;
import io.eventstream.connectors.kafka.KafkaBrokerExtension;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.Decoded;
import io.eventstream.jobs.testing.DatasetChecks;
import io.eventstream.jobs.testing.EventInputs;
import io.eventstream.jobs.testing.FailOnce;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.SpamTestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive job on the production Kafka source against a real broker: 20,000 generated events
 * (every tenth in binary mode) plus events with sub-millisecond times and two invalid records. The
 * archive, read back with DuckDB, holds every valid event once with every envelope field and its
 * data, at its Kafka position, in its UTC hour partition, every hour marked complete; the invalid
 * records are the archive's dead letters. The same holds across an injected failure.
 */
@ExtendWith(FlinkTestCluster.class)
class ArchiveJobTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final int PARTITIONS = 3;
    private static List<CloudEvent> events;
    private static String topic;

    @BeforeAll
    static void produce() throws Exception {
        events = new ArrayList<>(SpamTestData.events().subList(0, 20_000));
        // Times with sub-millisecond parts, and a recordedtime, must survive the archive exactly.
        for (int i = 0; i < 5; i++) {
            CloudEvent base = events.get(1_000 * (i + 1));
            events.add(new CloudEvent(
                    base.id() + "-nanos",
                    base.source(),
                    base.type(),
                    base.time().plusNanos(123_456 + i),
                    base.subject(),
                    base.dataschema(),
                    base.time().plusSeconds(2).plusNanos(987_654_321 - i),
                    base.partitionKey(),
                    base.data()));
        }
        topic = KAFKA.newTopic("archive-events", PARTITIONS);
        EventInputs.produce(KAFKA.bootstrapServers(), topic, events);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, null, "{not json".getBytes(StandardCharsets.UTF_8)))
                    .get();
            producer.send(new ProducerRecord<>(
                            topic, 1, null, "{\"specversion\":\"1.0\"}".getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
    }

    @Test
    void archivesEveryEventOnceWithEnvelopeDataAndKafkaPosition(@TempDir Path archive) throws Exception {
        ArchiveTestData.ArchiveRun run = JobUnderTest.kafka(ArchiveTestData.JOB, KAFKA.bootstrapServers(), topic, true)
                .parallelism(2)
                .run(archive);

        Path version = run.version(EventArchive.DATASET);
        DatasetChecks.assertDocumentedTypesAndPartitions(version, EventArchive.schema());
        DatasetChecks.assertCompleteAfterBoundedRun(version);
        List<Object[]> rows = run.events();
        assertThat(DatasetChecks.partitionsIn(version))
                .isEqualTo(DatasetChecks.partitionsOf(rows, EventArchive.schema()));
        assertArchivedExactlyOnce(rows);

        assertThat(run.deadLetters())
                .extracting(letter -> letter[1])
                .containsExactlyInAnyOrder("MALFORMED_JSON", "MISSING_FIELD");
    }

    @Test
    void archivesEveryEventExactlyOnceAcrossAFailure(@TempDir Path archive) throws Exception {
        FailOnce.reset(8_000);
        ArchiveTestData.ArchiveRun run = JobUnderTest.kafka(ArchiveTestData.JOB, KAFKA.bootstrapServers(), topic, true)
                .parallelism(2)
                .restarts(3)
                .beforeTopology(FailOnce::insert)
                .run(archive);
        FailOnce.assertFailedAndRestarted(8_000);

        DatasetChecks.assertCompleteAfterBoundedRun(run.version(EventArchive.DATASET));
        assertArchivedExactlyOnce(run.events());
        assertThat(run.deadLetters()).hasSize(2);
    }

    /**
     * Every input event is archived once: each envelope column equals the event's attribute, data is
     * the event's canonical data, and the row read back as a record decodes to an event equal to the
     * input (every field). Per partition, the valid events sit at offsets 0..n-1 (the two invalid
     * records were produced last), and one partition key always maps to one partition.
     */
    private static void assertArchivedExactlyOnce(List<Object[]> rows) {
        assertThat(rows).hasSize(events.size());
        Map<String, CloudEvent> byId = events.stream().collect(Collectors.toMap(CloudEvent::id, Function.identity()));
        Map<String, Integer> seen = new HashMap<>();
        CloudEventJson json = new CloudEventJson();
        ObjectMapper mapper = json.mapper();
        Map<Integer, TreeSet<Long>> offsets = new TreeMap<>();
        Map<String, Integer> partitionOfKey = new HashMap<>();
        for (Object[] row : rows) {
            String id = (String) row[1];
            assertThat(seen.merge(id, 1, Integer::sum))
                    .as("times archived: " + id)
                    .isEqualTo(1);
            CloudEvent event = byId.get(id);
            assertThat(event).as("archived event " + id + " is an input event").isNotNull();
            assertThat(row[0]).isEqualTo(event.source());
            assertThat(row[2]).isEqualTo(event.type().type());
            assertThat(Instant.ofEpochMilli((Long) row[3]).plusNanos((Integer) row[4]))
                    .isEqualTo(event.time());
            assertThat(row[5]).isEqualTo(event.subject());
            assertThat(row[6]).isEqualTo(event.partitionKey());
            if (event.recordedTime() == null) {
                assertThat(row[7]).isNull();
                assertThat(row[8]).isNull();
            } else {
                assertThat(Instant.ofEpochMilli((Long) row[7]).plusNanos((Integer) row[8]))
                        .isEqualTo(event.recordedTime());
            }
            assertThat(row[9]).isEqualTo(event.dataschema());
            JsonNode data = readTree(mapper, (String) row[10]);
            assertThat(data)
                    .as("data of " + id)
                    .isEqualTo(readTree(mapper, json.writeString(event)).get("data"));
            RawEvent raw = EventArchive.toRawEvent(row);
            Decoded<CloudEvent> decoded = json.read(raw.value);
            assertThat(decoded.isOk()).as("archived " + id + " decodes").isTrue();
            assertThat(decoded.value()).as("round trip of " + id).isEqualTo(event);

            assertThat(row[11]).isEqualTo(topic);
            int partition = (Integer) row[12];
            assertThat(offsets.computeIfAbsent(partition, p -> new TreeSet<>()).add((Long) row[13]))
                    .isTrue();
            assertThat(partitionOfKey.merge(event.partitionKey(), partition, (a, b) -> a.equals(b) ? a : -1))
                    .as("partition of key " + event.partitionKey())
                    .isEqualTo(partition);
            long partitionTime = (Long) row[14];
            if (id.endsWith("-nanos")) {
                assertThat(partitionTime)
                        .as("partition time of an event appended late")
                        .isGreaterThanOrEqualTo((Long) row[3]);
            } else {
                assertThat(partitionTime)
                        .as("partition time of an on-time event")
                        .isEqualTo(row[3]);
            }
            assertThat(raw.origin).isEqualTo("archive:kafka:" + topic + "/" + partition + "@" + row[13]);
        }
        assertThat(offsets).hasSize(PARTITIONS);
        offsets.forEach((partition, archived) -> assertThat(archived)
                .as("offsets of partition " + partition)
                .containsExactlyElementsOf(
                        LongStream.range(0, archived.size()).boxed().toList()));
    }

    private static JsonNode readTree(ObjectMapper mapper, String json) {
        try {
            return mapper.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("data is not JSON: " + e.getMessage());
        }
    }
}
