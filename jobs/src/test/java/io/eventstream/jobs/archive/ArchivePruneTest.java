package io.eventstream.jobs.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.jobs.cli.EventstreamCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eventstream archive prune} enforces {@code archive.retention}: with 48h of retention at
 * 2024-01-03T10:30Z it deletes exactly the hour partitions that ended at or before 2024-01-01T10:30Z
 * (hour 09 of Jan 1 ends 10:00, hour 10 ends 11:00 and stays), in every archive version, and the
 * day directories left empty; a dry run deletes nothing.
 */
class ArchivePruneTest {

    @Test
    void prunesExactlyTheHoursThatEndedBeforeTheRetention(@TempDir Path root) throws IOException {
        List<String> hours = List.of(
                "events/v1/dt=2023-12-31/hour=23",
                "events/v1/dt=2024-01-01/hour=00",
                "events/v1/dt=2024-01-01/hour=09",
                "events/v1/dt=2024-01-01/hour=10",
                "events/v1/dt=2024-01-02/hour=05",
                "events/v2/dt=2024-01-01/hour=08",
                "events/v2/dt=2024-01-03/hour=10");
        for (String hour : hours) {
            Files.createDirectories(root.resolve(hour));
            Files.writeString(root.resolve(hour).resolve("part-0-a.parquet"), "x");
            Files.writeString(root.resolve(hour).resolve("_SUCCESS"), "");
        }
        Path config =
                Files.writeString(root.resolve("archive.yaml"), "archive:\n  root: " + root + "\n  retention: 48h\n");

        assertThat(prune("--config", config.toString(), "--now", "2024-01-03T10:30:00Z", "--dry-run"))
                .isZero();
        assertThat(hourDirs(root)).hasSize(hours.size());

        assertThat(prune("--config", config.toString(), "--now", "2024-01-03T10:30:00Z"))
                .isZero();
        assertThat(hourDirs(root))
                .containsExactly(
                        "events/v1/dt=2024-01-01/hour=10",
                        "events/v1/dt=2024-01-02/hour=05",
                        "events/v2/dt=2024-01-03/hour=10");
        assertThat(root.resolve("events/v1/dt=2023-12-31")).doesNotExist();
        assertThat(root.resolve("events/v2/dt=2024-01-01")).doesNotExist();
        assertThat(root.resolve("events/v1/dt=2024-01-01/hour=10/part-0-a.parquet"))
                .exists();

        // --retention overrides the config; the instant is exclusive of hours still running.
        assertThat(prune(
                        "--root",
                        root.toString(),
                        "--retention",
                        "1d",
                        "--now",
                        Instant.parse("2024-01-03T11:00:00Z").toString()))
                .isZero();
        assertThat(hourDirs(root)).containsExactly("events/v2/dt=2024-01-03/hour=10");
    }

    @Test
    void aBadRetentionFailsNamingTheKey(@TempDir Path root) throws IOException {
        Path config = Files.writeString(root.resolve("archive.yaml"), "archive:\n  retention: forever\n");
        assertThat(prune("--config", config.toString())).isEqualTo(2);
    }

    private static int prune(String... args) {
        String[] all =
                Stream.concat(Stream.of("archive", "prune"), Stream.of(args)).toArray(String[]::new);
        return EventstreamCli.commandLine().execute(all);
    }

    private static List<String> hourDirs(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().startsWith("hour="))
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
