package io.eventstream.jobs.cli;

import io.eventstream.connectors.kafka.KafkaClientProperties;
import io.eventstream.connectors.kafka.KafkaPreflight;
import io.eventstream.connectors.source.EventSources;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.config.ConfigException;
import io.eventstream.features.config.JobSettings;
import io.eventstream.jobs.common.RawEventSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Where a job reads its CloudEvents from: JSON-lines files (bounded: local runs and backfills) or
 * a Kafka topic (structured or binary mode). The topology is the same either way.
 */
public final class SourceOptions implements RawEventSource {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Choice choice;

    static final class Choice {
        @Option(
                names = "--input",
                paramLabel = "EVENTS.jsonl",
                split = ",",
                arity = "1..*",
                description = "JSON-lines files of CloudEvents (bounded input).")
        List<Path> files;

        @ArgGroup(exclusive = false)
        KafkaOptions kafka;
    }

    static final class KafkaOptions {
        @Option(names = "--kafka", required = true, paramLabel = "BOOTSTRAP", description = "Kafka bootstrap servers.")
        String bootstrap;

        @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic of CloudEvents.")
        String topic;

        @Option(
                names = "--group-id",
                defaultValue = "eventstream",
                description = "Consumer group id (default: ${DEFAULT-VALUE}).")
        String groupId;

        @Option(
                names = "--from",
                defaultValue = "earliest",
                description = "Where to start without a checkpoint: earliest or latest (default: ${DEFAULT-VALUE}).")
        String from;

        @Option(
                names = "--bounded",
                description = "Stop at the offsets that are latest when the job starts (backfills, tests).")
        boolean bounded;

        @Option(
                names = "--kafka-properties",
                paramLabel = "FILE",
                description =
                        "Java properties file of Kafka client settings (security.protocol, SASL, TLS; secrets "
                                + "literally or as $${env:VAR} / $${file:PATH:KEY} / $${dir:DIR:FILE}); wins over the config's kafka section.")
        Path propertiesFile;
    }

    /** Security and other client settings for the Kafka source (and the dead-letter producer): none until resolved. */
    private KafkaClientProperties clientProperties = KafkaClientProperties.none();

    /**
     * Resolves the Kafka client properties: the job config's {@code kafka} section, then
     * {@code --kafka-properties} over it; the source built afterwards uses them. Throws
     * {@link io.eventstream.features.config.ConfigException} naming the property.
     */
    KafkaClientProperties resolveKafkaProperties(JobSettings config) {
        Path file = choice.kafka == null ? null : choice.kafka.propertiesFile;
        clientProperties = KafkaClientProperties.of(config.kafkaProperties(), file);
        return clientProperties;
    }

    /** The resolved Kafka client properties ({@link #resolveKafkaProperties}), or none. */
    KafkaClientProperties kafkaProperties() {
        return clientProperties;
    }

    /**
     * When reading from Kafka: null if the broker accepts the credentials and has the topic, else why not
     * (one line, no secret). Fails fast on a wrong password instead of a job restarting until its budget ends.
     */
    String kafkaPreflightProblem() {
        if (choice.kafka == null) {
            return null;
        }
        return KafkaPreflight.problem(choice.kafka.bootstrap, choice.kafka.topic, clientProperties, PREFLIGHT_TIMEOUT);
    }

    private static final Duration PREFLIGHT_TIMEOUT = Duration.ofSeconds(20);

    /**
     * Resolves the Kafka client properties and, when reading from Kafka, checks the credentials and the
     * topic; prints one line and returns false when the command must stop (exit 2).
     */
    boolean prepareKafka(JobSettings config, PrintStream err) {
        try {
            resolveKafkaProperties(config);
        } catch (ConfigException e) {
            err.println("eventstream: bad Kafka client properties: " + e.getMessage());
            return false;
        }
        String problem = kafkaPreflightProblem();
        if (problem != null) {
            err.println("eventstream: " + problem);
            return false;
        }
        return true;
    }

    /** This source as a feature job's ({@link FeatureJob#run}), with the Kafka client settings resolved so far. */
    FeatureJob.Source jobSource() {
        return new FeatureJob.Source(this, describe(), kafkaBootstrap(), kafkaProperties());
    }

    /** Kafka bootstrap servers when reading from Kafka, else null. */
    String kafkaBootstrap() {
        return choice.kafka == null ? null : choice.kafka.bootstrap;
    }

    String describe() {
        return choice.files != null
                ? "files " + choice.files
                : "kafka " + choice.kafka.bootstrap + " topic " + choice.kafka.topic;
    }

    /** The source with event-time watermarks generated per split (Kafka partition, file). */
    @Override
    public DataStream<RawEvent> create(StreamExecutionEnvironment env, WatermarkStrategy<RawEvent> watermarks) {
        TypeInformation<RawEvent> type = TypeInformation.of(RawEvent.class);
        if (choice.files != null) {
            org.apache.flink.core.fs.Path[] paths = choice.files.stream()
                    .map(file -> new org.apache.flink.core.fs.Path(
                            file.toAbsolutePath().toUri()))
                    .toArray(org.apache.flink.core.fs.Path[]::new);
            return env.fromSource(EventSources.jsonLines(paths), watermarks, "events from files")
                    .returns(type)
                    .uid("source-files");
        }
        KafkaOptions kafka = choice.kafka;
        OffsetsInitializer start = switch (kafka.from) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            default -> throw new IllegalArgumentException("--from must be earliest or latest, got " + kafka.from);
        };
        return env.fromSource(
                        EventSources.kafka(
                                kafka.bootstrap,
                                kafka.topic,
                                kafka.groupId,
                                start,
                                kafka.bounded,
                                clientProperties.toProperties()),
                        watermarks,
                        "events from kafka " + kafka.topic)
                .returns(type)
                .uid("source-kafka");
    }

    /** The Kafka source as {@code --kafka BOOTSTRAP --topic TOPIC --group-id GROUP [--bounded]} from the earliest offsets. */
    public static SourceOptions kafka(String bootstrap, String topic, String groupId, boolean bounded) {
        SourceOptions options = new SourceOptions();
        options.choice = new Choice();
        options.choice.kafka = new KafkaOptions();
        options.choice.kafka.bootstrap = bootstrap;
        options.choice.kafka.topic = topic;
        options.choice.kafka.groupId = groupId;
        options.choice.kafka.from = "earliest";
        options.choice.kafka.bounded = bounded;
        return options;
    }

    /** These options with the given Kafka client properties (instead of resolving them from a config and file). */
    SourceOptions withKafkaProperties(KafkaClientProperties properties) {
        clientProperties = properties;
        return this;
    }

    /** The file source as {@code --input FILE,...}. */
    public static SourceOptions files(List<Path> files) {
        SourceOptions options = new SourceOptions();
        options.choice = new Choice();
        options.choice.files = files;
        return options;
    }
}
