package io.eventstream.jobs.archive;

import io.eventstream.connectors.archive.EventArchive;
import io.eventstream.connectors.deadletter.DeadLetters;
import io.eventstream.connectors.parquet.Compression;
import io.eventstream.connectors.parquet.DatasetRows;
import io.eventstream.connectors.parquet.DatasetSink;
import io.eventstream.features.config.ArchiveJobConfig;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.jobs.common.SchemaDefinitions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/**
 * Where the archive job writes: the {@code events} and {@code dead_letters} datasets under the
 * archive's own root, through the project's exactly-once dataset writer. An hour is marked
 * {@code _SUCCESS} once the watermark is the allowed lateness past its end; an event later than that
 * is still archived (in its hour, after the marker): the archive drops nothing valid.
 *
 * @param archiveRoot the archive root ({@code archive.root} or {@code --root})
 */
public record ArchiveOutputs(Path archiveRoot) {

    /** Attaches both datasets; returns their version directories by name. */
    public Map<String, Path> attach(ArchiveTopology.Streams streams, ArchiveJobConfig config) {
        Compression compression = Compression.valueOf(config.datasetCompression().name());
        Map<String, Path> versions = new LinkedHashMap<>();
        versions.put(EventArchive.DATASET, dataset(EventArchive.schema(), compression,
                Duration.ofMillis(config.allowedLatenessMillis()), streams.events()));
        DataStream<Row> deadLetterRows = streams.deadLetters()
                .map(letter -> Row.of(DeadLetters.toRow(letter)))
                .returns(DatasetRows.typeInfo(DeadLetters.schema()))
                .name("dead letter rows")
                .uid("archive-dead-letter-rows");
        versions.put(DeadLetters.DATASET, dataset(DeadLetters.schema(), compression, Duration.ZERO, deadLetterRows));
        return versions;
    }

    private Path dataset(DatasetSchema schema, Compression compression, Duration completenessDelay, DataStream<Row> rows) {
        DatasetSink sink = DatasetSink.builder().root(archiveRoot).schema(schema)
                .featureSet(SchemaDefinitions.json(schema), SchemaDefinitions.fingerprint(schema))
                .compression(compression).completenessDelay(completenessDelay).build();
        sink.addTo(rows);
        return sink.versionDir();
    }
}
