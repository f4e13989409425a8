package io.eventstream.jobs.archive;

import io.eventstream.connectors.archive.EventArchive;
import io.eventstream.connectors.deadletter.DeadLetters;
import io.eventstream.connectors.parquet.DatasetSink;
import io.eventstream.features.config.ArchiveJobConfig;
import io.eventstream.jobs.common.JobSinks;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the archive job writes: the {@code events} and {@code dead_letters} datasets under the
 * archive's own root, through the sinks every job attaches its datasets with ({@link JobSinks}). An
 * hour is marked {@code _SUCCESS} once the watermark is the allowed lateness past its end; an event
 * later than that is still archived (in its hour, after the marker): the archive drops nothing valid.
 *
 * @param archiveRoot the archive root ({@code archive.root} or {@code --root})
 */
public record ArchiveOutputs(Path archiveRoot) {

    /** Attaches both datasets; returns their version directories by name. */
    public Map<String, Path> attach(ArchiveTopology.Streams streams, ArchiveJobConfig config) {
        JobSinks sinks = JobSinks.archive(archiveRoot.toAbsolutePath().toString(), config);
        sinks.plainDataset(EventArchive.schema(), streams.events());
        sinks.deadLetters(streams.deadLetters(), DeadLetters.DATASET, "archive-");
        return DatasetSink.localDirs(sinks.versions());
    }
}
