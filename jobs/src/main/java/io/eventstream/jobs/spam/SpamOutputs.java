package io.eventstream.jobs.spam;

import io.eventstream.connectors.deadletter.DeadLetters;
import io.eventstream.connectors.kafka.KafkaClientProperties;
import io.eventstream.connectors.online.OnlineTableSpec;
import io.eventstream.connectors.spam.SpamOnlineReader;
import io.eventstream.features.config.HashKeyId;
import io.eventstream.features.datasets.Sha256;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.common.JobSinks;
import io.eventstream.jobs.common.LateRows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where the spam job writes: Parquet datasets {@code spam_features}, {@code spam_labels},
 * {@code late_events} and {@code dead_letters} under one root, the online tables
 * {@code spam_user_features} and {@code spam_user_state}, and optionally a dead-letter Kafka topic.
 *
 * @param datasetRoot          root of the datasets: a local directory or a URI ({@code s3://}, {@code hdfs://})
 * @param onlineStoreUri       {@code sqlite:PATH} or {@code redis://HOST:PORT}
 * @param deadLetterKafka      bootstrap servers for the dead-letter topic, or null for none
 * @param deadLetterTopic      the dead-letter topic when {@code deadLetterKafka} is set
 * @param deadLetterKafkaProperties client settings of the dead-letter producer (security), none for a plain broker
 * @param replaceDatasets      a fresh run replaces dataset versions that hold an earlier run's rows
 *                             instead of being refused ({@code --replace}, see {@code docs/datasets.md})
 */
public record SpamOutputs(
        String datasetRoot,
        String onlineStoreUri,
        String deadLetterKafka,
        String deadLetterTopic,
        KafkaClientProperties deadLetterKafkaProperties,
        boolean replaceDatasets) {

    public SpamOutputs {
        if (deadLetterKafka != null && deadLetterTopic == null) {
            throw new IllegalArgumentException("a dead-letter topic is needed with dead-letter Kafka servers");
        }
        if (deadLetterKafkaProperties == null) {
            deadLetterKafkaProperties = KafkaClientProperties.none();
        }
    }

    /** Datasets under a root of any filesystem, without Kafka client settings. */
    public SpamOutputs(
            String datasetRoot,
            String onlineStoreUri,
            String deadLetterKafka,
            String deadLetterTopic,
            boolean replaceDatasets) {
        this(
                datasetRoot,
                onlineStoreUri,
                deadLetterKafka,
                deadLetterTopic,
                KafkaClientProperties.none(),
                replaceDatasets);
    }

    /**
     * Datasets under a local directory, without Kafka client settings (a plaintext dead-letter broker, or
     * none), refusing to rerun into a version.
     */
    public SpamOutputs(Path datasetRoot, String onlineStoreUri, String deadLetterKafka, String deadLetterTopic) {
        this(
                datasetRoot.toAbsolutePath().toString(),
                onlineStoreUri,
                deadLetterKafka,
                deadLetterTopic,
                KafkaClientProperties.none(),
                false);
    }

    /** Attaches every output; returns the version directory of each dataset by name, on its filesystem. */
    public Map<String, org.apache.flink.core.fs.Path> attachVersions(
            SpamTopology.Streams streams, SpamFeatureSet featureSet) {
        JobSinks sinks = new JobSinks(datasetRoot, replaceDatasets, onlineStoreUri, featureSet.config());
        // The features hold keyed hashes: the key's id is part of the definition, so a new key is a new version.
        String definition = HashKeyId.definitionWith(featureSet.definitionJson(), streams.hashKeyId());
        sinks.featureDataset(
                featureSet.featureSchema(), definition, Sha256.fingerprint(definition), streams.features());
        sinks.plainDataset(SpamLabels.SCHEMA, streams.labels());
        sinks.plainDataset(LateRows.SCHEMA, streams.lateEvents());
        sinks.deadLetters(streams.deadLetters(), DeadLetters.DATASET, "");
        if (deadLetterKafka != null) {
            streams.deadLetters()
                    .sinkTo(DeadLetters.kafkaSink(
                            deadLetterKafka, deadLetterTopic, deadLetterKafkaProperties.toProperties()))
                    .name("dead letters to kafka " + deadLetterTopic)
                    .uid("dead-letters-kafka");
        }
        sinks.onlineTable(streams.online(), onlineTable(featureSet));
        sinks.onlineTable(streams.onlineState(), SpamOnlineReader.stateTable(featureSet));
        return sinks.versions();
    }

    /** The online table {@code spam_user_features}, keyed by user_id; also what readers open. */
    public static OnlineTableSpec onlineTable(SpamFeatureSet featureSet) {
        return OnlineTableSpec.of(
                featureSet.onlineSchema(),
                Duration.ofMillis(featureSet.config().onlineTtlMillis()),
                featureSet.fingerprint(),
                "user_id");
    }
}
