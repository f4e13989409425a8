package io.eventstream.jobs.spam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.kafka.KafkaBrokerExtension;
import io.eventstream.connectors.kafka.KafkaEventWriter;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.RowSets;
import io.eventstream.jobs.testing.SpamJobUnderTest;
import io.eventstream.jobs.testing.SpamJobUnderTest.SpamJobRun;
import io.eventstream.jobs.testing.SpamTestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on the production Kafka source against a real broker (KRaft, in-process): the generated
 * events on a topic with several partitions, every tenth in binary mode, give exactly the rows and
 * online table of the file-source run.
 */
@ExtendWith(FlinkTestCluster.class)
class SpamJobKafkaTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void kafkaSourceWithBinaryModeRecordsGivesTheRowsOfTheFileSource(@TempDir Path out) throws Exception {
        String topic = KAFKA.newTopic("spam-events", 4);
        long binary = produce(topic, SpamTestData.events());
        assertThat(binary).isGreaterThan(10_000);

        SpamJobRun kafka = SpamJobUnderTest.kafka(KAFKA.bootstrapServers(), topic, true).parallelism(2).run(out);
        SpamJobRun files = SpamTestData.cliRun();

        assertThat(kafka.deadLetters()).as("dead letters").isEmpty();
        assertThat(kafka.lateEvents()).as("late events").isEmpty();
        RowSets.assertSameRows("spam_features from kafka vs files", SpamTestData.FEATURE_SET.featureSchema(), "event_id",
                files.features(), kafka.features());
        RowSets.assertSameRows("spam_labels from kafka vs files", SpamLabels.SCHEMA, "label_event_id",
                files.labels(), kafka.labels());
        RowSets.assertSameRows("online table from kafka vs files", SpamTestData.FEATURE_SET.onlineSchema(),
                files.online().rows(), kafka.online().rows());
    }

    /** Produces events in order, every tenth in binary mode; returns how many went in binary mode. */
    static long produce(String topic, List<CloudEvent> events) {
        CloudEventJson json = new CloudEventJson();
        long binary = 0;
        // One writer for both modes keeps each partition in emission order.
        try (KafkaEventWriter writer = new KafkaEventWriter(KAFKA.bootstrapServers(), topic, KafkaEventWriter.Mode.STRUCTURED)) {
            for (int i = 0; i < events.size(); i++) {
                CloudEvent event = events.get(i);
                if (i % 10 == 3) {
                    writer.writeRecord(event.partitionKey().getBytes(StandardCharsets.UTF_8), json.writeData(event),
                            json.binaryHeaders(event));
                    binary++;
                } else {
                    writer.write(event);
                }
            }
        }
        return binary;
    }
}
