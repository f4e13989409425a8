package io.eventstream.jobs.spam;

import io.eventstream.connectors.deadletter.DeadLetters;
import io.eventstream.connectors.deadletter.RawDeadLetters;
import io.eventstream.connectors.kafka.KafkaClientProperties;
import io.eventstream.jobs.common.RawDeadLetterOutput;
import io.eventstream.connectors.online.OnlineTableSink;
import io.eventstream.connectors.online.OnlineTableSpec;
import io.eventstream.connectors.parquet.Compression;
import io.eventstream.connectors.parquet.DatasetRows;
import io.eventstream.connectors.parquet.DatasetSink;
import io.eventstream.features.config.HashKeyId;
import io.eventstream.connectors.spam.SpamOnlineReader;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.datasets.Sha256;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.common.LateRows;
import io.eventstream.jobs.common.SchemaDefinitions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

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
public record SpamOutputs(String datasetRoot, String onlineStoreUri, String deadLetterKafka, String deadLetterTopic,
        KafkaClientProperties deadLetterKafkaProperties, boolean replaceDatasets) {

    public SpamOutputs {
        if (deadLetterKafka != null && deadLetterTopic == null) {
            throw new IllegalArgumentException("a dead-letter topic is needed with dead-letter Kafka servers");
        }
        if (deadLetterKafkaProperties == null) {
            deadLetterKafkaProperties = KafkaClientProperties.none();
        }
    }

    /** Datasets under a root of any filesystem, without Kafka client settings. */
    public SpamOutputs(String datasetRoot, String onlineStoreUri, String deadLetterKafka, String deadLetterTopic,
            boolean replaceDatasets) {
        this(datasetRoot, onlineStoreUri, deadLetterKafka, deadLetterTopic, KafkaClientProperties.none(), replaceDatasets);
    }

    /**
     * Datasets under a local directory, without Kafka client settings (a plaintext dead-letter broker, or
     * none), refusing to rerun into a version.
     */
    public SpamOutputs(Path datasetRoot, String onlineStoreUri, String deadLetterKafka, String deadLetterTopic) {
        this(datasetRoot.toAbsolutePath().toString(), onlineStoreUri, deadLetterKafka, deadLetterTopic,
                KafkaClientProperties.none(), false);
    }

    /** Online writes are batched: up to this many rows or this delay, whichever comes first. */
    static final int ONLINE_BATCH_ROWS = 1000;
    public static final Duration ONLINE_MAX_DELAY = Duration.ofMillis(500);

    /** Attaches every output; returns the local version directory of each dataset by name (local roots only). */
    public Map<String, Path> attach(SpamTopology.Streams streams, SpamJobConfig config) {
        return DatasetSink.localDirs(attachVersions(streams, config));
    }

    /** Attaches every output; returns the version directory of each dataset by name, on its filesystem. */
    public Map<String, org.apache.flink.core.fs.Path> attachVersions(SpamTopology.Streams streams, SpamJobConfig config) {
        SpamFeatureSet featureSet = new SpamFeatureSet(config);
        Compression compression = Compression.valueOf(config.datasetCompression().name());
        Duration completenessDelay = Duration.ofMillis(config.allowedLatenessMillis());
        Map<String, org.apache.flink.core.fs.Path> versions = new LinkedHashMap<>();

        // The features hold keyed hashes: the key's id is part of the definition, so a new key is a new version.
        String definition = HashKeyId.definitionWith(featureSet.definitionJson(), streams.hashKeyId());
        DatasetSink features = DatasetSink.builder().root(datasetRoot).schema(featureSet.featureSchema())
                .featureSet(definition, Sha256.fingerprint(definition)).replace(replaceDatasets)
                .compression(compression).completenessDelay(completenessDelay).build();
        features.addTo(streams.features());
        versions.put(featureSet.featureSchema().name(), features.versionPath());

        versions.put(SpamLabels.DATASET, dataset(SpamLabels.SCHEMA, compression, completenessDelay, streams.labels()));
        versions.put(LateRows.DATASET, dataset(LateRows.SCHEMA, compression, completenessDelay, streams.lateEvents()));
        DataStream<Row> deadLetterRows = streams.deadLetters()
                .map(letter -> Row.of(DeadLetters.toRow(letter)))
                .returns(DatasetRows.typeInfo(DeadLetters.schema()))
                .name("dead letter rows")
                .uid("dead-letter-rows");
        versions.put(DeadLetters.DATASET, dataset(DeadLetters.schema(), compression, Duration.ZERO, deadLetterRows));
        RawDeadLetterOutput.attach(streams.deadLetters(), config, DeadLetters.DATASET, compression, "dead-letters")
                .ifPresent(dir -> versions.put(RawDeadLetters.datasetName(DeadLetters.DATASET), dir));
        if (deadLetterKafka != null) {
            streams.deadLetters().sinkTo(DeadLetters.kafkaSink(deadLetterKafka, deadLetterTopic,
                            deadLetterKafkaProperties.toProperties()))
                    .name("dead letters to kafka " + deadLetterTopic)
                    .uid("dead-letters-kafka");
        }

        OnlineTableSink.addTo(streams.online(), onlineTable(featureSet), onlineStoreUri, ONLINE_BATCH_ROWS,
                ONLINE_MAX_DELAY, config.onlineMaxOutage());
        OnlineTableSink.addTo(streams.onlineState(), SpamOnlineReader.stateTable(featureSet), onlineStoreUri, ONLINE_BATCH_ROWS,
                ONLINE_MAX_DELAY, config.onlineMaxOutage());
        return versions;
    }

    /** The online table {@code spam_user_features}, keyed by user_id; also what readers open. */
    public static OnlineTableSpec onlineTable(SpamFeatureSet featureSet) {
        return OnlineTableSpec.of(featureSet.onlineSchema(), Duration.ofMillis(featureSet.config().onlineTtlMillis()),
                featureSet.fingerprint(), "user_id");
    }

    private org.apache.flink.core.fs.Path dataset(DatasetSchema schema, Compression compression, Duration completenessDelay, DataStream<Row> rows) {
        DatasetSink sink = DatasetSink.builder().root(datasetRoot).schema(schema)
                .featureSet(SchemaDefinitions.json(schema), SchemaDefinitions.fingerprint(schema)).replace(replaceDatasets)
                .compression(compression).completenessDelay(completenessDelay).build();
        sink.addTo(rows);
        return sink.versionPath();
    }
}
