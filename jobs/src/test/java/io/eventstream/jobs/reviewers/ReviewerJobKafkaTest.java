package io.eventstream.jobs.reviewers;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.kafka.KafkaBrokerExtension;
import io.eventstream.jobs.testing.EventInputs;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.ReviewerTestData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reviewer job on the production Kafka source against a real broker (KRaft, in-process): the
 * generated year on a topic with four partitions, keyed by user as producers key them (so each
 * project's events are spread over all partitions and arrive interleaved), every tenth record in
 * binary mode, read by the production source made bounded, gives exactly the datasets and online
 * tables of the file-source run.
 */
@ExtendWith(FlinkTestCluster.class)
class ReviewerJobKafkaTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void kafkaSourceGivesTheDatasetsAndOnlineTablesOfTheFileSource(@TempDir Path out) throws Exception {
        String topic = KAFKA.newTopic("reviewer-events", 4);
        long binaryRecords = EventInputs.produce(KAFKA.bootstrapServers(), topic, ReviewerTestData.events());
        JobUnderTest.kafka(ReviewerTestData.JOB, KAFKA.bootstrapServers(), topic, true)
                .parallelism(2)
                .run(out)
                .assertSameOutputsAs(ReviewerTestData.cliRun(), "kafka vs files");
        assertThat(binaryRecords).as("records in binary mode").isGreaterThan(3_000);
    }
}
