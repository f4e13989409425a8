package io.eventstream.jobs.cli;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.gitlab.Conversion;
import io.eventstream.features.gitlab.GitLabAdapter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
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
            "Exit codes: 0 all converted, 2 a body is invalid (reason code and message on stderr),",
            "3 a body's kind is recognised but not supported (and none is invalid)."
        })
public final class ConvertCommand implements Callable<Integer> {
    static final int INVALID = 2;
    static final int UNSUPPORTED = 3;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Webhook body files ('-' reads stdin).")
    List<String> files;

    @Option(names = "--header", paramLabel = "X-GITLAB-EVENT",
            description = "The X-Gitlab-Event header value the bodies came with, e.g. \"Issue Hook\" or \"System Hook\".")
    String header;

    @Option(names = "--uuid", paramLabel = "UUID", description = "The X-Gitlab-Event-UUID header value (one file only).")
    String uuid;

    @Option(names = "--source", defaultValue = "https://gitlab.example.com",
            description = "CloudEvents source: the GitLab instance URI (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--received-at", paramLabel = "ISO-INSTANT",
            description = "When the delivery was received (recordedtime; event time of pushes without commits). Default: now.")
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
            byte[] body = "-".equals(file) ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
            Conversion conversion = adapter.convert(body, header, uuid, received);
            if (conversion.isOk()) {
                for (CloudEvent event : conversion.events()) {
                    out.println(json.writeString(event));
                }
            } else {
                err.println(file + ": " + conversion.error().reason() + ": " + conversion.error().message());
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
}
