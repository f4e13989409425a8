package io.eventstream.connectors.archive;

import java.io.IOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Where the archive's files are: {@code <root>/events/v<N>/dt=YYYY-MM-DD/hour=HH/part-*.parquet},
 * listed through Flink's {@link FileSystem}, so any filesystem Flink has a plugin for works. Only
 * visible part files count: hidden in-progress files ({@code .part-*.inprogress}) are not
 * committed yet and never read.
 */
public final class ArchiveLayout {
    static final long HOUR_MILLIS = 3_600_000L;

    private static final Pattern VERSION = Pattern.compile("v(\\d+)");
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH");

    /** One hour partition of one archive version. */
    public record Hour(Path dir, long start, int version) {}

    private ArchiveLayout() {}

    /** The archive root given as a filesystem URI ({@code s3://...}, {@code file:/...}) or a local path (made absolute). */
    public static Path root(String root) {
        return root.contains(":/")
                ? new Path(root)
                : new Path(java.nio.file.Path.of(root).toAbsolutePath().toUri());
    }

    /** Every hour partition under the archive root, oldest first (then by version); none when there is no archive yet. */
    public static List<Hour> hours(Path root) throws IOException {
        FileSystem fs = root.getFileSystem();
        Path dataset = new Path(root, EventArchive.DATASET);
        List<Hour> hours = new ArrayList<>();
        if (!fs.exists(dataset)) {
            return hours;
        }
        for (FileStatus versionDir : list(fs, dataset)) {
            Matcher version = VERSION.matcher(versionDir.getPath().getName());
            if (!versionDir.isDir() || !version.matches()) {
                continue;
            }
            for (FileStatus day : list(fs, versionDir.getPath())) {
                if (!day.isDir() || !day.getPath().getName().startsWith("dt=")) {
                    continue;
                }
                for (FileStatus hour : list(fs, day.getPath())) {
                    Long start = hourStart(
                            day.getPath().getName() + "/" + hour.getPath().getName());
                    if (hour.isDir() && start != null) {
                        hours.add(new Hour(hour.getPath(), start, Integer.parseInt(version.group(1))));
                    }
                }
            }
        }
        hours.sort(Comparator.comparingLong(Hour::start).thenComparingInt(Hour::version));
        return hours;
    }

    /** The committed part files of an hour partition, by name. */
    public static List<Path> partFiles(Path hourDir) throws IOException {
        FileSystem fs = hourDir.getFileSystem();
        List<Path> files = new ArrayList<>();
        for (FileStatus file : list(fs, hourDir)) {
            String name = file.getPath().getName();
            if (!file.isDir() && name.startsWith("part-") && name.endsWith(".parquet")) {
                files.add(file.getPath());
            }
        }
        files.sort(Comparator.comparing(Path::getName));
        return files;
    }

    /** Start (epoch millis) of the hour named {@code dt=YYYY-MM-DD/hour=HH}, or null for another name. */
    static Long hourStart(String relative) {
        try {
            return LocalDateTime.parse(relative, HOUR).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
        FileStatus[] statuses = fs.listStatus(dir);
        return statuses == null ? new FileStatus[0] : statuses;
    }
}
