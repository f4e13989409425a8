package io.eventstream.jobs.cli;

import io.eventstream.connectors.source.EventSources;
import io.eventstream.connectors.source.RawEvent;
import java.nio.file.Path;
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
public final class SourceOptions {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Choice choice;

    static final class Choice {
        @Option(names = "--input", paramLabel = "EVENTS.jsonl", split = ",", arity = "1..*",
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

        @Option(names = "--group-id", defaultValue = "eventstream", description = "Consumer group id (default: ${DEFAULT-VALUE}).")
        String groupId;

        @Option(names = "--from", defaultValue = "earliest",
                description = "Where to start without a checkpoint: earliest or latest (default: ${DEFAULT-VALUE}).")
        String from;

        @Option(names = "--bounded", description = "Stop at the offsets that are latest when the job starts (backfills, tests).")
        boolean bounded;
    }

    /** Kafka bootstrap servers when reading from Kafka, else null. */
    String kafkaBootstrap() {
        return choice.kafka == null ? null : choice.kafka.bootstrap;
    }

    String describe() {
        return choice.files != null ? "files " + choice.files : "kafka " + choice.kafka.bootstrap + " topic " + choice.kafka.topic;
    }

    /** The source with event-time watermarks generated per split (Kafka partition, file). */
    public DataStream<RawEvent> create(StreamExecutionEnvironment env, WatermarkStrategy<RawEvent> watermarks) {
        TypeInformation<RawEvent> type = TypeInformation.of(RawEvent.class);
        if (choice.files != null) {
            org.apache.flink.core.fs.Path[] paths = choice.files.stream()
                    .map(file -> new org.apache.flink.core.fs.Path(file.toAbsolutePath().toUri()))
                    .toArray(org.apache.flink.core.fs.Path[]::new);
            return env.fromSource(EventSources.jsonLines(paths),
                            watermarks, "events from files")
                    .returns(type)
                    .uid("source-files");
        }
        KafkaOptions kafka = choice.kafka;
        OffsetsInitializer start = switch (kafka.from) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            default -> throw new IllegalArgumentException("--from must be earliest or latest, got " + kafka.from);
        };
        return env.fromSource(EventSources.kafka(kafka.bootstrap, kafka.topic, kafka.groupId, start, kafka.bounded),
                        watermarks, "events from kafka " + kafka.topic)
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

    /** The file source as {@code --input FILE,...}. */
    public static SourceOptions files(List<Path> files) {
        SourceOptions options = new SourceOptions();
        options.choice = new Choice();
        options.choice.files = files;
        return options;
    }
}
