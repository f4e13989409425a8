package io.eventstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code convert} on files it cannot or must not read whole: exit 2 and one line each, never a stack trace. */
class ConvertCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... files) {
        ConvertCommand command = new ConvertCommand();
        command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        command.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandLine cli = new CommandLine(command);
        cli.setErr(new java.io.PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true));
        String[] args = new String[files.length + 2];
        args[0] = "--received-at";
        args[1] = "2024-03-01T10:00:00Z";
        System.arraycopy(files, 0, args, 2, files.length);
        return cli.execute(args);
    }

    private String errLines() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aMissingFileIsOneLineAndExit2() {
        Path missing = dir.resolve("nope.json");
        assertThat(run(missing.toString())).isEqualTo(ConvertCommand.INVALID);
        assertThat(errLines()).isEqualTo(missing + ": cannot read: no such file\n");
        assertThat(out.size()).isZero();
    }

    @Test
    void aDirectoryIsOneLineAndExit2() {
        assertThat(run(dir.toString())).isEqualTo(ConvertCommand.INVALID);
        assertThat(errLines()).isEqualTo(dir + ": cannot read: is a directory\n");
    }

    @Test
    void anUnreadableFileIsOneLineAndExit2() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.json"), "{}");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        if (Files.isReadable(secret)) {
            return; // running as root: permissions do not stop reads, nothing to test
        }
        assertThat(run(secret.toString())).isEqualTo(ConvertCommand.INVALID);
        assertThat(errLines()).isEqualTo(secret + ": cannot read: permission denied\n");
    }

    @Test
    void endlessInputStopsAtTheLimit() {
        // Reading /dev/zero whole would never end (or run out of memory): only limit + 1 bytes are read.
        assertThat(run("/dev/zero")).isEqualTo(ConvertCommand.INVALID);
        assertThat(errLines())
                .isEqualTo("/dev/zero: OVERSIZED: body of 1048577 bytes exceeds the limit of 1048576 bytes\n");
    }

    @Test
    void theOtherFilesAreStillConverted() throws IOException {
        Path note = Files.writeString(dir.resolve("note.json"), """
                {"object_kind":"note","event_type":"note","user":{"id":5,"username":"u"},"project_id":9,
                 "object_attributes":{"id":77,"note":"hi","noteable_type":"Issue","author_id":5,"project_id":9,
                 "created_at":"2024-03-01 09:00:00 UTC","updated_at":"2024-03-01 09:00:00 UTC"},
                 "project":{"id":9},"issue":{"id":3,"iid":1}}
                """);
        Path missing = dir.resolve("gone.json");
        int code = run(missing.toString(), note.toString());
        assertThat(errLines()).startsWith(missing + ": cannot read: no such file\n");
        assertThat(code).isEqualTo(ConvertCommand.INVALID);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"type\":\"com.gitlab.note.created\"");
    }
}
