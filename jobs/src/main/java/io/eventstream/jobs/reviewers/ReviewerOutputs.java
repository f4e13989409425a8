package io.eventstream.jobs.reviewers;

import io.eventstream.connectors.deadletter.DeadLetters;
import io.eventstream.connectors.deadletter.RawDeadLetters;
import io.eventstream.jobs.common.RawDeadLetterOutput;
import io.eventstream.connectors.online.OnlineTableSink;
import io.eventstream.connectors.parquet.Compression;
import io.eventstream.connectors.parquet.DatasetRows;
import io.eventstream.connectors.parquet.DatasetSink;
import io.eventstream.connectors.reviewers.ReviewerOnlineTables;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.jobs.common.LateRows;
import io.eventstream.jobs.common.SchemaDefinitions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/**
 * Where the reviewer job writes: Parquet datasets {@code reviewer_candidates}, {@code reviewer_labels},
 * {@code reviewer_late_events} and {@code reviewer_dead_letters} under one root (the prefix keeps
 * them apart from the spam job's when both write to the same root), and the online tables
 * {@code reviewer_project_user_features} and {@code reviewer_project_user_path_features}.
 *
 * @param datasetRoot     root of the datasets: a local directory or a URI ({@code s3://}, {@code hdfs://})
 * @param onlineStoreUri  {@code sqlite:PATH} or {@code redis://HOST:PORT}; both tables go to it
 * @param replaceDatasets a fresh run replaces dataset versions that hold an earlier run's rows
 *                        instead of being refused ({@code --replace}, see {@code docs/datasets.md})
 */
public record ReviewerOutputs(String datasetRoot, String onlineStoreUri, boolean replaceDatasets) {

    /** Outputs with the datasets under a local directory, refusing to rerun into a version. */
    public ReviewerOutputs(Path datasetRoot, String onlineStoreUri) {
        this(datasetRoot.toAbsolutePath().toString(), onlineStoreUri, false);
    }

    /** Name of the reviewer job's late-events dataset. */
    public static final String LATE_EVENTS = "reviewer_" + LateRows.DATASET;
    /** Name of the reviewer job's dead-letters dataset. */
    public static final String DEAD_LETTERS = "reviewer_" + DeadLetters.DATASET;

    /** Online writes are batched: up to this many rows or this delay, whichever comes first. */
    static final int ONLINE_BATCH_ROWS = 1000;
    static final Duration ONLINE_MAX_DELAY = Duration.ofMillis(500);

    /** Attaches every output; returns the local version directory of each dataset by name (local roots only). */
    public Map<String, Path> attach(ReviewerTopology.Streams streams, ReviewerJobConfig config) {
        return DatasetSink.localDirs(attachVersions(streams, config));
    }

    /** Attaches every output; returns the version directory of each dataset by name, on its filesystem. */
    public Map<String, org.apache.flink.core.fs.Path> attachVersions(ReviewerTopology.Streams streams,
            ReviewerJobConfig config) {
        ReviewerFeatureSet featureSet = new ReviewerFeatureSet(config);
        Compression compression = Compression.valueOf(config.datasetCompression().name());
        Duration completenessDelay = Duration.ofMillis(config.allowedLatenessMillis());
        Map<String, org.apache.flink.core.fs.Path> versions = new LinkedHashMap<>();

        versions.put(ReviewerFeatureSet.CANDIDATES_DATASET, featureDataset(featureSet, featureSet.candidateSchema(),
                compression, completenessDelay, streams.candidates()));
        versions.put(ReviewerFeatureSet.LABELS_DATASET, featureDataset(featureSet, featureSet.labelSchema(),
                compression, completenessDelay, streams.labels()));
        DatasetSchema late = LateRows.SCHEMA.renamed(LATE_EVENTS);
        versions.put(LATE_EVENTS, plainDataset(late, compression, completenessDelay, streams.lateEvents()));
        DataStream<Row> deadLetterRows = streams.deadLetters()
                .map(letter -> Row.of(DeadLetters.toRow(letter)))
                .returns(DatasetRows.typeInfo(DeadLetters.schema()))
                .name("dead letter rows")
                .uid("reviewer-dead-letter-rows");
        DatasetSchema deadLetters = DeadLetters.schema().renamed(DEAD_LETTERS);
        versions.put(DEAD_LETTERS, plainDataset(deadLetters, compression, Duration.ZERO, deadLetterRows));
        RawDeadLetterOutput.attach(streams.deadLetters(), config, DEAD_LETTERS, compression, "reviewer-dead-letters")
                .ifPresent(dir -> versions.put(RawDeadLetters.datasetName(DEAD_LETTERS), dir));

        // The specs the serving reader uses too (ReviewerCandidateReader): same keys, TTL and Redis index.
        OnlineTableSink.addTo(streams.onlineUsers(), ReviewerOnlineTables.userTable(featureSet), onlineStoreUri,
                ONLINE_BATCH_ROWS, ONLINE_MAX_DELAY, config.onlineMaxOutage());
        OnlineTableSink.addTo(streams.onlinePaths(), ReviewerOnlineTables.pathTable(featureSet), onlineStoreUri,
                ONLINE_BATCH_ROWS, ONLINE_MAX_DELAY, config.onlineMaxOutage());
        return versions;
    }

    private org.apache.flink.core.fs.Path featureDataset(ReviewerFeatureSet featureSet, DatasetSchema schema, Compression compression,
            Duration completenessDelay, DataStream<Row> rows) {
        return add(DatasetSink.builder().root(datasetRoot).schema(schema)
                .featureSet(featureSet.definitionJson(), featureSet.fingerprint()).replace(replaceDatasets)
                .compression(compression).completenessDelay(completenessDelay).build(), rows);
    }

    private org.apache.flink.core.fs.Path plainDataset(DatasetSchema schema, Compression compression, Duration completenessDelay,
            DataStream<Row> rows) {
        return add(DatasetSink.builder().root(datasetRoot).schema(schema)
                .featureSet(SchemaDefinitions.json(schema), SchemaDefinitions.fingerprint(schema)).replace(replaceDatasets)
                .compression(compression).completenessDelay(completenessDelay).build(), rows);
    }

    private static org.apache.flink.core.fs.Path add(DatasetSink sink, DataStream<Row> rows) {
        sink.addTo(rows);
        return sink.versionPath();
    }
}
