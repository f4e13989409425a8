package io.eventstream.jobs.cli;

import io.eventstream.connectors.kafka.KafkaClientProperties;
import io.eventstream.connectors.kafka.LocalKafkaBroker;
import io.eventstream.features.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Where a benchmark's Kafka is: an in-process plaintext broker in the run directory (the default), or an
 * existing broker ({@code --kafka}, with the client settings of {@code --kafka-properties}, e.g. SASL_SSL)
 * on which the bench makes its own uniquely named topic and deletes it afterwards. The same
 * {@link KafkaClientProperties} reach the bench's producer, its admin client and the jobs' source.
 */
final class BenchKafka {

    @Option(
            names = "--kafka",
            paramLabel = "BOOTSTRAP",
            description = "Benchmark against this existing Kafka instead of an in-process broker: the bench creates "
                    + "its own uniquely named topic there and deletes it afterwards.")
    String bootstrap;

    @Option(
            names = "--kafka-properties",
            paramLabel = "FILE",
            description = "With --kafka: Java properties file of Kafka client settings for the bench's producer, admin "
                    + "client and the jobs' source (security.protocol, SASL, TLS; secrets literally or as $${env:VAR} / "
                    + "$${file:PATH:KEY} / $${dir:DIR:FILE}).")
    Path propertiesFile;

    private KafkaClientProperties properties = KafkaClientProperties.none();

    /**
     * Checks the options and reads the properties file, before the bench generates anything; on a bad file prints
     * one line naming the file and property (never a value) and returns false (exit 2).
     */
    boolean resolve(CommandSpec spec) {
        if (propertiesFile != null && bootstrap == null) {
            throw new ParameterException(spec.commandLine(), "--kafka-properties needs --kafka");
        }
        try {
            properties = propertiesFile == null
                    ? KafkaClientProperties.none()
                    : KafkaClientProperties.fromFile(propertiesFile);
            return true;
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("eventstream: bad Kafka client properties: " + e.getMessage());
            return false;
        }
    }

    /**
     * Starts the in-process broker in {@code runDir} or connects to {@code --kafka}, and creates a topic of
     * {@code partitions} with the given topic configs ({@link #resolve} first); closing the session deletes the topic (or stops the broker).
     */
    Session open(Path runDir, String topicPrefix, int partitions, Map<String, String> topicConfigs) throws Exception {
        if (bootstrap == null) {
            LocalKafkaBroker broker = new LocalKafkaBroker(runDir.resolve("kafka")).start();
            try {
                Session session =
                        new Session(broker.bootstrapServers(), topicPrefix, KafkaClientProperties.none(), broker);
                session.createTopic(partitions, topicConfigs);
                return session;
            } catch (Exception e) {
                broker.close();
                throw e;
            }
        }
        Session session = new Session(bootstrap, topicPrefix + "-" + UUID.randomUUID(), properties, null);
        session.createTopic(partitions, topicConfigs);
        return session;
    }

    /** The bench's broker and topic; {@link #close()} deletes an external broker's topic or stops the in-process one. */
    static final class Session implements AutoCloseable {
        private static final long TIMEOUT_SECONDS = 60;

        private final String bootstrap;
        private final String topic;
        private final KafkaClientProperties properties;
        private final LocalKafkaBroker inProcess;

        private Session(String bootstrap, String topic, KafkaClientProperties properties, LocalKafkaBroker inProcess) {
            this.bootstrap = bootstrap;
            this.topic = topic;
            this.properties = properties;
            this.inProcess = inProcess;
        }

        String bootstrap() {
            return bootstrap;
        }

        String topic() {
            return topic;
        }

        /** Client properties for the bench's own producers (no bootstrap servers). */
        Properties clientProperties() {
            return properties.toProperties();
        }

        /** The jobs' bounded or unbounded source on the topic, from the earliest offsets, with the client properties. */
        SourceOptions source(String groupId, boolean bounded) {
            return SourceOptions.kafka(bootstrap, topic, groupId, bounded).withKafkaProperties(properties);
        }

        private Admin admin() {
            Properties admin = properties.toProperties();
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
            return Admin.create(admin);
        }

        private void createTopic(int partitions, Map<String, String> configs) throws Exception {
            try (Admin admin = admin()) {
                // An existing cluster's default replication factor, as its production topics have (a factor of 1
                // would fail acks=all producing where min.insync.replicas is above 1).
                Optional<Short> replication = inProcess != null ? Optional.of((short) 1) : Optional.empty();
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), replication).configs(configs)))
                        .all()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                awaitLeaders(admin, partitions);
            } catch (ExecutionException e) {
                // The cause's message (e.g. SASL authentication failed) names no secret; the client never echoes one.
                throw new IllegalStateException(
                        "could not create the bench topic " + topic + " at " + bootstrap + ": "
                                + e.getCause().getMessage(),
                        e.getCause());
            }
        }

        /** Creation returns once the controller has the topic; producing needs each partition's leader. */
        private void awaitLeaders(Admin admin, int partitions) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (true) {
                try {
                    TopicDescription description = admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                            .get(topic);
                    if (description.partitions().size() == partitions
                            && description.partitions().stream()
                                    .allMatch(p ->
                                            p.leader() != null && !p.leader().isEmpty())) {
                        return;
                    }
                } catch (ExecutionException notYet) {
                    // Unknown topic for a moment after creation.
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the bench topic " + topic + " has no leaders within " + TIMEOUT_SECONDS + " s");
                }
                Thread.sleep(20);
            }
        }

        @Override
        public void close() throws Exception {
            if (inProcess != null) {
                inProcess.close();
                return;
            }
            try (Admin admin = admin()) {
                admin.deleteTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        }
    }
}
