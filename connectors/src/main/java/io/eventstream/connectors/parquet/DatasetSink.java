package io.eventstream.connectors.parquet;

import io.eventstream.features.datasets.DatasetSchema;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.transformations.WithBoundedness;
import org.apache.flink.types.Row;

/**
 * Exactly-once, hour-partitioned Parquet dataset sink:
 * {@code <root>/<dataset>/v<N>/dt=YYYY-MM-DD/hour=HH/part-<subtask>-<uuid>.parquet}, partitioned by
 * the UTC hour of the schema's time column, with {@code _SUCCESS} in complete hour partitions and
 * {@code _feature_set.json} at the version's root (see {@code docs/datasets.md}).
 *
 * <pre>{@code
 * DatasetSink sink = DatasetSink.builder()
 *     .root("s3://training/datasets")            // or hdfs://..., file:///..., a local path
 *     .schema(schema)
 *     .featureSet(definitionJson, fingerprint)
 *     .compression(Compression.ZSTD)
 *     .build();                                   // resolves v<N> now, on the client
 * sink.versionPath();                             // s3://training/datasets/spam_features/v1
 * sink.addTo(rows);                               // rows: DataStream<Row>, typed with DatasetRows.typeInfo(schema)
 * }</pre>
 *
 * <p>Any Flink filesystem: the local disk, {@code hdfs://} (Hadoop client on the classpath) and
 * {@code s3://} (the {@code flink-s3-fs-hadoop} plugin). Unbounded jobs need checkpointing: part
 * files become visible when a checkpoint completes. A fresh run claims the version (see
 * {@link DatasetRuns}): a version that already holds rows refuses a second run unless
 * {@link Builder#replace(boolean)} is set; a job resumed from a savepoint continues its run.
 * Configure checkpointing and the runtime mode on the environment before calling
 * {@link #addTo(DataStream)}, which decides from them how the end of a bounded input is committed.
 */
public final class DatasetSink {
    private final String versionDir;
    private final boolean replace;
    private final int version;
    private final DatasetSchema schema;
    private final String fingerprint;
    private final Compression compression;
    private final Duration completenessDelay;

    private DatasetSink(
            Path versionDir,
            DatasetSchema schema,
            String fingerprint,
            Compression compression,
            Duration completenessDelay,
            boolean replace) {
        this.versionDir = versionDir.toString();
        this.replace = replace;
        this.version = Integer.parseInt(versionDir.getName().substring(1));
        this.schema = schema;
        this.fingerprint = fingerprint;
        this.compression = compression;
        this.completenessDelay = completenessDelay;
    }

    /** A builder; {@code root}, {@code schema} and {@code featureSet} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The resolved version directory on the local disk, e.g. {@code <root>/spam_features/v1}.
     *
     * @throws IllegalStateException when the root is not local (use {@link #versionPath()})
     */
    public java.nio.file.Path versionDir() {
        Path path = versionPath();
        if (!DatasetFiles.isLocal(path)) {
            throw new IllegalStateException(path + " is not on the local disk");
        }
        return java.nio.file.Path.of(path.toUri());
    }

    /**
     * The local directories of version directories by dataset name, for callers that read them
     * with local tools.
     *
     * @throws IllegalStateException when one is not on the local disk
     */
    public static Map<String, java.nio.file.Path> localDirs(Map<String, Path> versions) {
        Map<String, java.nio.file.Path> dirs = new LinkedHashMap<>();
        versions.forEach((name, path) -> {
            if (!DatasetFiles.isLocal(path)) {
                throw new IllegalStateException(path + " is not on the local disk");
            }
            dirs.put(name, java.nio.file.Path.of(path.toUri()));
        });
        return dirs;
    }

    /** The resolved version directory on its filesystem, e.g. {@code s3://bucket/datasets/spam_features/v1}. */
    public Path versionPath() {
        return new Path(versionDir);
    }

    /** The resolved version number N of {@code v<N>}. */
    public int version() {
        return version;
    }

    public DatasetSchema schema() {
        return schema;
    }

    /**
     * Adds the writer (uid {@code dataset-<name>-writer}, parallelism of the environment, chained to
     * its input when possible) and the partition committer (uid {@code dataset-<name>-committer},
     * parallelism 1) after {@code rows}.
     *
     * @param rows rows in schema order; their timestamps/watermarks must follow the time column
     * @return the terminal sink of the committer (uid {@code dataset-<name>-end})
     */
    public DataStreamSink<?> addTo(DataStream<Row> rows) {
        String name = schema.name();
        Map<String, String> metadata = Map.of(
                DatasetWriteSupport.FINGERPRINT_KEY, fingerprint,
                DatasetWriteSupport.DATASET_KEY, name,
                DatasetWriteSupport.VERSION_KEY, Integer.toString(version));
        if (!resumes(rows.getExecutionEnvironment().getConfiguration())) {
            DatasetRuns.claim(versionPath(), replace);
        }
        DatasetWriterOperator writer =
                new DatasetWriterOperator(versionPath(), schema, compression, metadata, commitsAtEndOfInput(rows));
        SingleOutputStreamOperator<CommitReport> reports = rows.transform(
                        "dataset " + name + " writer", TypeInformation.of(CommitReport.class), writer)
                .uid("dataset-" + name + "-writer");
        SingleOutputStreamOperator<Void> committed = reports.transform(
                        "dataset " + name + " committer",
                        Types.VOID,
                        new PartitionCommitter(versionPath(), completenessDelay.toMillis()))
                .uid("dataset-" + name + "-committer")
                .setParallelism(1)
                .setMaxParallelism(1);
        return committed
                .sinkTo(new DiscardingSink<>())
                .name("dataset " + name + " end")
                .uid("dataset-" + name + "-end")
                .setParallelism(1);
    }

    /** Whether the job starts from a savepoint or retained checkpoint, continuing the run that wrote it. */
    private static boolean resumes(ReadableConfig config) {
        return config.getOptional(StateRecoveryOptions.SAVEPOINT_PATH).isPresent();
    }

    /**
     * Whether the writers must commit their last files when their input ends instead of at the
     * final checkpoint: when no final checkpoint will come (batch execution, checkpointing off, or
     * checkpoints after tasks finish disabled). In AUTOMATIC mode the job is taken to run as batch
     * when every source feeding the rows is bounded, as Flink decides for most jobs.
     */
    static boolean commitsAtEndOfInput(DataStream<Row> rows) {
        StreamExecutionEnvironment env = rows.getExecutionEnvironment();
        ReadableConfig config = env.getConfiguration();
        RuntimeExecutionMode mode = config.get(ExecutionOptions.RUNTIME_MODE);
        boolean batch = mode == RuntimeExecutionMode.BATCH
                || (mode == RuntimeExecutionMode.AUTOMATIC && allSourcesBounded(rows.getTransformation()));
        return batch
                || !env.getCheckpointConfig().isCheckpointingEnabled()
                || !config.get(CheckpointingOptions.ENABLE_CHECKPOINTS_AFTER_TASKS_FINISH);
    }

    private static boolean allSourcesBounded(Transformation<?> sink) {
        for (Transformation<?> t : sink.getTransitivePredecessors()) {
            if (t.getInputs().isEmpty()
                    && !(t instanceof WithBoundedness b && b.getBoundedness() == Boundedness.BOUNDED)) {
                return false;
            }
        }
        return true;
    }

    /** Builds a {@link DatasetSink}; {@link #build()} resolves the dataset version. */
    public static final class Builder {
        private Path root;
        private boolean replace;
        private DatasetSchema schema;
        private String definitionJson;
        private String fingerprint;
        private Compression compression = Compression.ZSTD;
        private Duration completenessDelay = Duration.ZERO;

        private Builder() {}

        /** Directory holding all datasets on the local disk. */
        public Builder root(java.nio.file.Path root) {
            this.root = new Path(
                    Objects.requireNonNull(root, "root").toAbsolutePath().toUri());
            return this;
        }

        /**
         * Directory holding all datasets: a local path or a URI of a Flink filesystem
         * ({@code file:///data}, {@code hdfs://namenode:8020/data}, {@code s3://bucket/data}).
         */
        public Builder root(String root) {
            this.root = DatasetFiles.path(Objects.requireNonNull(root, "root"));
            return this;
        }

        /**
         * Whether a fresh run may replace a version that already holds rows (deleting its hour
         * partitions first) instead of being refused. Off by default.
         */
        public Builder replace(boolean replace) {
            this.replace = replace;
            return this;
        }

        public Builder schema(DatasetSchema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /**
         * The feature-set definition (JSON, recorded in {@code _feature_set.json}) and its
         * fingerprint, which selects the dataset version: same fingerprint, same version.
         */
        public Builder featureSet(String definitionJson, String fingerprint) {
            this.definitionJson = Objects.requireNonNull(definitionJson, "definitionJson");
            this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
            if (fingerprint.isBlank()) {
                throw new IllegalArgumentException("the feature-set fingerprint is blank");
            }
            return this;
        }

        /** Parquet compression, {@link Compression#ZSTD} by default. */
        public Builder compression(Compression compression) {
            this.compression = Objects.requireNonNull(compression, "compression");
            return this;
        }

        /**
         * How long after the watermark has passed a row's time the row may still arrive: an hour is
         * marked {@code _SUCCESS} only once the watermark is this far past its end. Zero (the
         * default) suits rows emitted as soon as the watermark passes them; a keyed function that
         * holds rows for the allowed lateness needs that lateness here.
         */
        public Builder completenessDelay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("completeness delay must not be negative: " + delay);
            }
            this.completenessDelay = delay;
            return this;
        }

        /**
         * Resolves (and if needed creates) the version directory and returns the sink.
         *
         * @throws IllegalStateException when a required setting is missing
         */
        public DatasetSink build() {
            if (root == null || schema == null || fingerprint == null) {
                throw new IllegalStateException("DatasetSink needs root, schema and featureSet; missing "
                        + (root == null ? "root" : schema == null ? "schema" : "featureSet"));
            }
            Path versionDir = DatasetVersions.resolve(root, schema, definitionJson, fingerprint);
            return new DatasetSink(versionDir, schema, fingerprint, compression, completenessDelay, replace);
        }
    }
}
