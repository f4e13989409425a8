package io.eventstream.connectors.parquet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.UUID;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The run manifest {@code _run.json} of a dataset version, which keeps a second run from
 * duplicating the rows of the first (see "Reruns" in {@code docs/datasets.md}).
 *
 * <p>A job that starts afresh (not from a savepoint or checkpoint) claims the version by creating
 * the manifest. A version that already has one, or already has committed part files, belongs to
 * an earlier or concurrent run: the new run is refused with a message naming the version, unless
 * it asked to replace the version, which deletes every hour partition and the manifest first. A
 * job resumed from a savepoint continues its own run and claims nothing.
 *
 * <p>Part-file names stay random (not derived from the input) on purpose: which rows share a file
 * depends on when checkpoints happen, so a rerun could not replace a file by name.
 *
 * <p>The claim is atomic on the local disk and on HDFS (exclusive create). On S3 without
 * conditional writes it is a look-then-write: two runs started in the same instant can both
 * pass; the docs say so.
 */
public final class DatasetRuns {
    /** Name of the run manifest at the version's root. */
    public static final String MANIFEST = "_run.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DatasetRuns() {}

    /**
     * Claims {@code versionDir} for a new run.
     *
     * @param replace delete the partitions and manifest of an earlier run first
     * @return the id of the new run (recorded in the manifest)
     * @throws IllegalStateException when the version holds an earlier or concurrent run and
     *                               {@code replace} is false
     */
    public static String claim(Path versionDir, boolean replace) {
        try {
            FileSystem fs = versionDir.getFileSystem();
            Path manifest = new Path(versionDir, MANIFEST);
            if (replace) {
                clear(fs, versionDir);
            } else if (fs.exists(manifest) || hasCommittedRows(fs, versionDir)) {
                throw refused(versionDir);
            }
            String runId = UUID.randomUUID().toString();
            ObjectNode content = JSON.createObjectNode();
            content.put("run_id", runId);
            content.put("started_at", Instant.now().toString());
            content.put("replaced_earlier_run", replace);
            if (!createExclusively(fs, manifest, JSON.writeValueAsBytes(content))) {
                throw refused(versionDir);
            }
            return runId;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot claim the dataset version " + versionDir + " for a new run", e);
        }
    }

    private static IllegalStateException refused(Path versionDir) {
        return new IllegalStateException("the dataset version " + versionDir + " already holds the rows of an"
                + " earlier or running job (" + MANIFEST + "); a second run would duplicate them. Resume the job from"
                + " its savepoint, write to another --out, or pass --replace to delete this version's rows and"
                + " write them again");
    }

    /** Deletes every hour partition and the manifest; {@code _feature_set.json} stays. */
    private static void clear(FileSystem fs, Path versionDir) throws IOException {
        if (!fs.exists(versionDir)) {
            return;
        }
        for (FileStatus child : fs.listStatus(versionDir)) {
            String name = child.getPath().getName();
            if (name.startsWith("dt=") || name.equals(MANIFEST)) {
                fs.delete(child.getPath(), true);
            }
        }
    }

    private static boolean hasCommittedRows(FileSystem fs, Path dir) throws IOException {
        if (!fs.exists(dir)) {
            return false;
        }
        for (FileStatus child : fs.listStatus(dir)) {
            String name = child.getPath().getName();
            boolean partition = name.startsWith("dt=") || name.startsWith("hour=");
            if (child.isDir()
                    ? partition && hasCommittedRows(fs, child.getPath())
                    : name.endsWith(".parquet") && !name.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** Creates {@code file} unless it exists; false when it does (another run created it first). */
    private static boolean createExclusively(FileSystem fs, Path file, byte[] content) throws IOException {
        if (DatasetFiles.isLocal(file)) {
            try {
                Files.write(
                        java.nio.file.Path.of(file.toUri()),
                        content,
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }
        if (fs.exists(file)) {
            return false;
        }
        try (FSDataOutputStream out = fs.create(file, FileSystem.WriteMode.NO_OVERWRITE)) {
            out.write(content);
            return true;
        } catch (IOException e) {
            if (fs.exists(file)) {
                return false; // HDFS refused the exclusive create
            }
            throw e;
        }
    }
}
