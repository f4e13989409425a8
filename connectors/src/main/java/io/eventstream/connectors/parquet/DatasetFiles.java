package io.eventstream.connectors.parquet;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.UUID;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * File naming and the commit protocol of part files, through Flink's filesystem layer
 * ({@code file://}, {@code hdfs://}, {@code s3://}). Files are published with the filesystem's
 * {@link RecoverableWriter}: a rename of a hidden file on the local disk and on HDFS, the completion
 * of a multipart upload on S3. Either way a reader sees a file whole or not at all.
 */
final class DatasetFiles {
    /** Marker of a complete hour partition. */
    static final String SUCCESS = "_SUCCESS";
    /**
     * Part of the name of files being written on the local disk and HDFS
     * ({@code .part-*.parquet.inprogress.<uuid>}, named by the {@code RecoverableWriter}); never
     * matched by {@code *.parquet}. On S3 an unfinished file is an uncompleted multipart upload,
     * which no listing shows.
     */
    static final String IN_PROGRESS_MARK = ".inprogress";

    private DatasetFiles() {}

    /** A Flink path from a URI or a local path ({@code /data/x}, {@code file:///data/x}, {@code s3://b/x}). */
    static Path path(String uriOrPath) {
        if (uriOrPath.contains("://") || uriOrPath.startsWith("file:")) {
            return new Path(URI.create(uriOrPath));
        }
        return new Path(java.nio.file.Path.of(uriOrPath).toAbsolutePath().toUri());
    }

    /** Whether {@code path} is on the local filesystem (which {@code java.nio} reaches as well). */
    static boolean isLocal(Path path) {
        String scheme = path.toUri().getScheme();
        return scheme == null || scheme.equals("file");
    }

    static FileSystem fileSystem(Path path) {
        try {
            return path.getFileSystem();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "no filesystem for " + path + " (for s3:// the flink-s3-fs-hadoop plugin"
                            + " must be installed, for hdfs:// the Hadoop client): " + e.getMessage(),
                    e);
        }
    }

    /** The visible path of a new part file of {@code subtask} in a partition. */
    static Path newPartFile(Path versionDir, long hourStart, int subtask) {
        return new Path(
                new Path(versionDir, HourPartition.path(hourStart)),
                "part-" + subtask + "-" + UUID.randomUUID() + ".parquet");
    }

    /** Closes a written stream and returns the pending file that publishes it under {@code finalPath}. */
    static PendingFile closeForCommit(
            RecoverableWriter writer, RecoverableFsDataOutputStream stream, Path finalPath, long hourStart)
            throws IOException {
        SimpleVersionedSerializer<RecoverableWriter.CommitRecoverable> serializer =
                writer.getCommitRecoverableSerializer();
        byte[] committable = serializer.serialize(stream.closeForCommit().getRecoverable());
        return new PendingFile(
                PendingFile.UNASSIGNED, finalPath.toString(), hourStart, committable, serializer.getVersion());
    }

    /**
     * Makes a pending file visible. Idempotent: a file already published (by an earlier attempt or
     * by the other party of the protocol) is fine.
     *
     * @return true when this call published it, false when it was visible already
     * @throws IOException when the file can be neither published nor found (data would be lost)
     */
    static boolean commit(RecoverableWriter writer, PendingFile file) throws IOException {
        RecoverableWriter.CommitRecoverable recoverable =
                writer.getCommitRecoverableSerializer().deserialize(file.committableVersion, file.committable);
        RecoverableFsDataOutputStream.Committer committer = writer.recoverForCommit(recoverable);
        try {
            // The usual case first, without a request to look for the file: on S3 every look is a
            // HEAD plus a LIST, and a dataset commits many small files.
            committer.commit();
            return true;
        } catch (IOException notPending) {
            try {
                committer.commitAfterRecovery(); // fine when an earlier attempt published it
            } catch (IOException e) {
                e.addSuppressed(notPending);
                throw new IOException(
                        "pending part file " + file.finalPath + " could not be published (its hidden"
                                + " file or upload vanished before its commit)",
                        e);
            }
            return false;
        }
    }

    /** Writes {@code content} to {@code target} so that readers see all of it or nothing. */
    static void publish(Path target, byte[] content) throws IOException {
        RecoverableWriter writer = target.getFileSystem().createRecoverableWriter();
        RecoverableFsDataOutputStream out = writer.open(target);
        out.write(content);
        out.closeForCommit().commit();
    }

    /**
     * Writes the partition's {@code _SUCCESS} marker and deletes hidden part files left there by
     * failed attempts (every file of a complete partition is committed, so any left is an orphan).
     *
     * @return true when the marker was created, false when it was already there
     */
    static boolean markSuccessful(Path versionDir, long hourStart) throws IOException {
        Path dir = new Path(versionDir, HourPartition.path(hourStart));
        FileSystem fs = dir.getFileSystem();
        FileStatus[] children;
        try {
            children = fs.listStatus(dir); // one listing: the marker and the orphans
        } catch (FileNotFoundException noPartition) {
            children = null;
        }
        for (FileStatus child : children == null ? new FileStatus[0] : children) {
            String name = child.getPath().getName();
            if (name.equals(SUCCESS)) {
                return false;
            }
        }
        for (FileStatus child : children == null ? new FileStatus[0] : children) {
            String name = child.getPath().getName();
            if (name.startsWith(".part-") && name.contains(IN_PROGRESS_MARK)) {
                fs.delete(child.getPath(), false);
            }
        }
        // Empty, so there is no half-written state to hide: a plain create (one PUT on S3) will do.
        fs.create(new Path(dir, SUCCESS), FileSystem.WriteMode.OVERWRITE).close();
        return true;
    }
}
