package io.eventstream.jobs.common;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.deadletter.RawDeadLetters;
import io.eventstream.connectors.parquet.Compression;
import io.eventstream.connectors.parquet.DatasetRows;
import io.eventstream.connectors.parquet.DatasetSink;
import io.eventstream.features.config.JobSettings;
import io.eventstream.features.datasets.DatasetSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/**
 * The opt-in raw store of a job's dead letters ({@code dead_letters.raw_root}): the
 * {@code <dead-letter dataset>_raw} dataset under its own root, and the sink that enforces
 * {@code dead_letters.raw_retention} there ({@link RawDeadLetters}). Nothing is attached when the
 * root is unset, so by default raw payloads reach no output.
 */
public final class RawDeadLetterOutput {
    private RawDeadLetterOutput() {}

    /** Attaches the raw store when configured; returns its version directory, on its filesystem. */
    public static Optional<org.apache.flink.core.fs.Path> attach(
            DataStream<DeadLetter> letters,
            JobSettings config,
            String deadLetterDataset,
            Compression compression,
            String uidPrefix) {
        String root = config.deadLetterRawRoot();
        if (root == null) {
            return Optional.empty();
        }
        DatasetSchema schema = RawDeadLetters.schema(deadLetterDataset);
        DataStream<Row> rows = letters.map(letter -> Row.of(RawDeadLetters.toRow(letter)))
                .returns(DatasetRows.typeInfo(schema))
                .name("raw dead letter rows")
                .uid(uidPrefix + "-raw-rows");
        DatasetSink sink = DatasetSink.builder()
                .root(root)
                .schema(schema)
                .featureSet(SchemaDefinitions.json(schema), SchemaDefinitions.fingerprint(schema))
                .compression(compression)
                .completenessDelay(Duration.ZERO)
                .build();
        sink.addTo(rows);
        String rootUri = root.contains("://")
                ? root
                : Path.of(root).toAbsolutePath().toUri().toString();
        letters.sinkTo(RawDeadLetters.retentionSink(
                        rootUri, schema.name(), Duration.ofMillis(config.deadLetterRawRetentionMillis())))
                .setParallelism(1)
                .name("raw dead letter retention " + schema.name())
                .uid(uidPrefix + "-raw-retention");
        return Optional.of(sink.versionPath());
    }
}
