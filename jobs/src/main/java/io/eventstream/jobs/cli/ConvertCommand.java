package io.eventstream.jobs.cli;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.gitlab.Conversion;
import io.eventstream.features.gitlab.GitLabAdapter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eventstream convert}: GitLab webhook bodies to canonical CloudEvents, one JSON line each. */
@Command(
        name = "convert",
        mixinStandardHelpOptions = true,
        description = {
            "Converts GitLab webhook / system-hook bodies to canonical CloudEvents (JSON lines on stdout).",
            "Exit codes: 0 all converted, 2 a body is invalid or a file cannot be read (one line on stderr each),",
            "3 a body's kind is recognised but not supported (and none is invalid).",
            "A body larger than 1 MiB is rejected (OVERSIZED) after reading at most 1 MiB + 1 byte of it."
        })
public final class ConvertCommand implements Callable<Integer> {
    static final int INVALID = 2;
    static final int UNSUPPORTED = 3;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Webhook body files ('-' reads stdin).")
    List<String> files;

    @Option(
            names = "--header",
            paramLabel = "X-GITLAB-EVENT",
            description =
                    "The X-Gitlab-Event header value the bodies came with, e.g. \"Issue Hook\" or \"System Hook\".")
    String header;

    @Option(
            names = "--uuid",
            paramLabel = "UUID",
            description = "The X-Gitlab-Event-UUID header value (one file only).")
    String uuid;

    @Option(
            names = "--source",
            defaultValue = "https://gitlab.example.com",
            description = "CloudEvents source: the GitLab instance URI (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(
            names = "--received-at",
            paramLabel = "ISO-INSTANT",
            description =
                    "When the delivery was received (recordedtime; event time of pushes without commits). Default: now.")
    Instant receivedAt;

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() throws IOException {
        GitLabAdapter adapter = new GitLabAdapter(source);
        CloudEventJson json = new CloudEventJson();
        Instant received = receivedAt != null ? receivedAt : Instant.now();
        boolean invalid = false;
        boolean unsupported = false;
        for (String file : files) {
            byte[] body;
            try {
                body = read(file, adapter.maxBytes());
            } catch (IOException | InvalidPathException e) {
                err.println(file + ": cannot read: " + readFailure(e));
                invalid = true;
                continue;
            }
            Conversion conversion = adapter.convert(body, header, uuid, received);
            if (conversion.isOk()) {
                for (CloudEvent event : conversion.events()) {
                    out.println(json.writeString(event));
                }
            } else {
                err.println(file + ": " + conversion.error().reason() + ": "
                        + conversion.error().message());
                if (conversion.unsupported()) {
                    unsupported = true;
                } else {
                    invalid = true;
                }
            }
        }
        out.flush();
        return invalid ? INVALID : unsupported ? UNSUPPORTED : 0;
    }

    /**
     * At most {@code limit + 1} bytes of the file (or stdin): enough for the adapter to see that an
     * over-long body is over the limit, and bounded whatever the input ({@code /dev/zero}, a pipe).
     */
    private static byte[] read(String file, int limit) throws IOException {
        if ("-".equals(file)) {
            return System.in.readNBytes(limit + 1);
        }
        Path path = Path.of(file);
        if (Files.isDirectory(path)) {
            throw new IOException("is a directory");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(limit + 1);
        }
    }

    /** One line saying why, without a stack trace. */
    private static String readFailure(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof InvalidPathException) {
            return "invalid path";
        }
        String message = e instanceof FileSystemException fs ? fs.getReason() : e.getMessage();
        return message == null || message.isBlank()
                ? e.getClass().getSimpleName()
                : message.replace('\n', ' ').strip();
    }
}
