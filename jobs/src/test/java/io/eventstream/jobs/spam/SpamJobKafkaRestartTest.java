package io.eventstream.jobs.spam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.kafka.KafkaBrokerExtension;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.testing.EventInputs;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.OutageAt;
import io.eventstream.jobs.testing.RowSets;
import io.eventstream.jobs.testing.SpamJobRun;
import io.eventstream.jobs.testing.SpamTestData;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka broker restarts (same ports, same log directory) while the job reads from it: the job
 * ends with exactly the rows and online table of the file-source run. The restart strategy may
 * restart it (the Kafka source then rewinds to the checkpointed offsets); nothing is lost or
 * duplicated either way.
 */
@ExtendWith(FlinkTestCluster.class)
class SpamJobKafkaRestartTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void aBrokerRestartMidStreamLosesAndDuplicatesNothing(@TempDir Path out) throws Exception {
        String topic = KAFKA.newTopic("spam-restart", 4);
        EventInputs.produce(KAFKA.bootstrapServers(), topic, SpamTestData.events());
        AtomicReference<Throwable> restartFailure = new AtomicReference<>();
        Thread restart = new Thread(
                () -> {
                    try {
                        KAFKA.broker().restart();
                    } catch (Throwable t) {
                        restartFailure.set(t);
                    }
                },
                "broker restart");
        OutageAt.arm(40_000, restart::start);

        SpamJobRun run = JobUnderTest.kafka(SpamTestData.JOB, KAFKA.bootstrapServers(), topic, true)
                .parallelism(2)
                .restarts(5)
                .beforeTopology(OutageAt::insert)
                .run(out);
        restart.join(60_000);

        assertThat(OutageAt.triggered()).isTrue();
        assertThat(restartFailure.get()).as("broker restart").isNull();
        SpamJobRun files = SpamTestData.cliRun();
        assertThat(run.deadLetters()).as("dead letters").isEmpty();
        assertThat(run.lateEvents()).as("late events").isEmpty();
        RowSets.assertSameRows(
                "spam_features across a broker restart",
                SpamTestData.FEATURE_SET.featureSchema(),
                "event_id",
                files.features(),
                run.features());
        RowSets.assertSameRows(
                "spam_labels across a broker restart",
                SpamLabels.SCHEMA,
                "label_event_id",
                files.labels(),
                run.labels());
        RowSets.assertSameRows(
                "online table across a broker restart",
                SpamTestData.FEATURE_SET.onlineSchema(),
                files.online().rows(),
                run.online().rows());
    }
}
