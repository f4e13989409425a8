package io.eventstream.connectors.parquet;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/** File naming and the atomic file operations of the commit protocol (local filesystem). */
final class DatasetFiles {
    /** Marker of a complete hour partition. */
    static final String SUCCESS = "_SUCCESS";
    /** Suffix of files being written or waiting for their checkpoint: never matched by {@code *.parquet}. */
    static final String IN_PROGRESS_SUFFIX = ".parquet.inprogress";

    private DatasetFiles() {
    }

    /** A new part file of {@code subtask} in a partition: hidden name first, visible name on commit. */
    static PendingFile newPartFile(Path versionDir, long hourStart, int subtask) {
        Path dir = versionDir.resolve(HourPartition.path(hourStart));
        String name = "part-" + subtask + "-" + UUID.randomUUID();
        return new PendingFile(PendingFile.UNASSIGNED, dir.resolve("." + name + IN_PROGRESS_SUFFIX).toString(),
                dir.resolve(name + ".parquet").toString(), hourStart);
    }

    /**
     * Makes a pending file visible. Idempotent: a file already renamed (by an earlier attempt or by
     * the other party of the protocol) is fine.
     *
     * @return true when this call renamed it, false when it was already visible
     * @throws IOException when neither the hidden nor the visible file exists (data would be lost)
     */
    static boolean commit(PendingFile file) throws IOException {
        Path hidden = Path.of(file.hiddenPath);
        Path visible = Path.of(file.finalPath);
        try {
            Files.move(hidden, visible, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (NoSuchFileException e) {
            if (Files.exists(visible)) {
                return false;
            }
            throw new IOException("pending part file " + hidden + " vanished before its commit", e);
        }
    }

    /**
     * Writes the partition's {@code _SUCCESS} marker and deletes hidden part files left there by
     * failed attempts (every file of a complete partition is committed, so any left is an orphan).
     *
     * @return true when the marker was created, false when it was already there
     */
    static boolean markSuccessful(Path versionDir, long hourStart) throws IOException {
        Path dir = versionDir.resolve(HourPartition.path(hourStart));
        Files.createDirectories(dir);
        try (DirectoryStream<Path> orphans = Files.newDirectoryStream(dir, ".part-*" + IN_PROGRESS_SUFFIX)) {
            for (Path orphan : orphans) {
                Files.deleteIfExists(orphan);
            }
        }
        try {
            Files.createFile(dir.resolve(SUCCESS));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }
}
