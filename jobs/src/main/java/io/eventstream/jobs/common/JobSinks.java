package io.eventstream.jobs.common;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.deadletter.DeadLetters;
import io.eventstream.connectors.deadletter.RawDeadLetters;
import io.eventstream.connectors.online.OnlineTableSink;
import io.eventstream.connectors.online.OnlineTableSpec;
import io.eventstream.connectors.parquet.Compression;
import io.eventstream.connectors.parquet.DatasetRows;
import io.eventstream.connectors.parquet.DatasetSink;
import io.eventstream.features.config.JobSettings;
import io.eventstream.features.config.StreamJobSettings;
import io.eventstream.features.datasets.DatasetSchema;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/**
 * The sinks of one job's run, what its outputs class attaches: Parquet datasets under one root with
 * the config's compression, the same rule for rerunning into a version, hours complete once the
 * watermark passes their end plus the allowed lateness; the dead letters; a feature job's online
 * tables, batched. Keeps the version path of every dataset by name, in the order they were added.
 */
public final class JobSinks {
    /** Online writes are batched: up to this many rows or this delay, whichever comes first. */
    static final int ONLINE_BATCH_ROWS = 1000;

    public static final Duration ONLINE_MAX_DELAY = Duration.ofMillis(500);

    private final String datasetRoot;
    private final boolean replaceDatasets;
    private final StreamJobSettings config;
    private final Compression compression;
    /** The online store: null for the archive job, which has no online tables. */
    private final String onlineStoreUri;
    /** A feature job's settings (online outages, raw dead letters): null for the archive job, which has neither. */
    private final JobSettings featureJobConfig;

    private final Map<String, Path> versions = new LinkedHashMap<>();

    /**
     * The sinks of a feature job.
     *
     * @param datasetRoot     root of the datasets: a local directory or a URI ({@code s3://}, {@code hdfs://})
     * @param replaceDatasets a fresh run replaces dataset versions that hold an earlier run's rows
     *                        instead of being refused ({@code --replace}, see {@code docs/datasets.md})
     * @param onlineStoreUri  {@code sqlite:PATH} or {@code redis://HOST:PORT}; every online table goes to it
     */
    public JobSinks(String datasetRoot, boolean replaceDatasets, String onlineStoreUri, JobSettings config) {
        this(datasetRoot, replaceDatasets, config, onlineStoreUri, config);
    }

    private JobSinks(
            String datasetRoot,
            boolean replaceDatasets,
            StreamJobSettings config,
            String onlineStoreUri,
            JobSettings featureJobConfig) {
        this.datasetRoot = datasetRoot;
        this.replaceDatasets = replaceDatasets;
        this.config = config;
        this.compression = Compression.valueOf(config.datasetCompression().name());
        this.onlineStoreUri = onlineStoreUri;
        this.featureJobConfig = featureJobConfig;
    }

    /**
     * The sinks of the raw event archive job: its datasets under the archive root, a rerun into a
     * version refused; no online tables, and no raw dead-letter store (its config has no
     * {@code dead_letters.raw_root}).
     */
    public static JobSinks archive(String archiveRoot, StreamJobSettings config) {
        return new JobSinks(archiveRoot, false, config, null, null);
    }

    /** A dataset of feature rows, whose version is that of the feature set's definition. */
    public void featureDataset(DatasetSchema schema, String definitionJson, String fingerprint, DataStream<Row> rows) {
        add(schema, definitionJson, fingerprint, Duration.ofMillis(config.allowedLatenessMillis()), rows);
    }

    /** A dataset defined by its schema alone (labels, late events, archived events). */
    public void plainDataset(DatasetSchema schema, DataStream<Row> rows) {
        plainDataset(schema, Duration.ofMillis(config.allowedLatenessMillis()), rows);
    }

    /**
     * The dead letters as the dataset {@code datasetName}, with no lateness to wait for (its rows are
     * partitioned by when the job dead-lettered them, not by event time), and their raw payloads when
     * {@code dead_letters.raw_root} is set (feature jobs).
     * Operator uids start with {@code uidPrefix} (the spam job's none, the reviewer job's
     * {@code reviewer-}, the archive job's {@code archive-}), as they always have: savepoints find
     * operators by uid.
     */
    public void deadLetters(DataStream<DeadLetter> letters, String datasetName, String uidPrefix) {
        DataStream<Row> rows = letters.map(letter -> Row.of(DeadLetters.toRow(letter)))
                .returns(DatasetRows.typeInfo(DeadLetters.schema()))
                .name("dead letter rows")
                .uid(uidPrefix + "dead-letter-rows");
        plainDataset(DeadLetters.schema().renamed(datasetName), Duration.ZERO, rows);
        if (featureJobConfig != null) {
            RawDeadLetterOutput.attach(letters, featureJobConfig, datasetName, compression, uidPrefix + "dead-letters")
                    .ifPresent(dir -> versions.put(RawDeadLetters.datasetName(datasetName), dir));
        }
    }

    /**
     * A feature job's online table, written in batches and waiting out store outages up to
     * {@code online.max_outage}.
     */
    public void onlineTable(DataStream<Row> rows, OnlineTableSpec spec) {
        if (featureJobConfig == null) {
            throw new IllegalStateException("the archive job writes no online tables");
        }
        OnlineTableSink.addTo(
                rows, spec, onlineStoreUri, ONLINE_BATCH_ROWS, ONLINE_MAX_DELAY, featureJobConfig.onlineMaxOutage());
    }

    /** The version directory of each dataset by name, on its filesystem. */
    public Map<String, Path> versions() {
        return versions;
    }

    private void plainDataset(DatasetSchema schema, Duration completenessDelay, DataStream<Row> rows) {
        add(schema, SchemaDefinitions.json(schema), SchemaDefinitions.fingerprint(schema), completenessDelay, rows);
    }

    private void add(
            DatasetSchema schema,
            String definitionJson,
            String fingerprint,
            Duration completenessDelay,
            DataStream<Row> rows) {
        DatasetSink sink = DatasetSink.builder()
                .root(datasetRoot)
                .schema(schema)
                .featureSet(definitionJson, fingerprint)
                .replace(replaceDatasets)
                .compression(compression)
                .completenessDelay(completenessDelay)
                .build();
        sink.addTo(rows);
        versions.put(schema.name(), sink.versionPath());
    }
}
