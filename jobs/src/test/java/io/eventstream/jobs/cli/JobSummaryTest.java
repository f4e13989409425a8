package io.eventstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What the run commands print about the online store: never its password. */
class JobSummaryTest {

    @Test
    void theSummaryShowsTheStoreWithoutCredentials() {
        StringWriter out = new StringWriter();
        JobSummary.print(new PrintWriter(out), Map.of(), "redis://jobs:pa55-word-9@127.0.0.1:6380/0");
        assertThat(out.toString()).isEqualTo("datasets:\nonline tables: redis://***@127.0.0.1:6380/0\n");
    }

    @Test
    void aPasswordInOnlineIsWarnedAboutWithoutBeingRepeated() {
        JobOutputOptions options = new JobOutputOptions();
        new CommandLine(options).parseArgs("--online", "redis://:pa55-word-9@127.0.0.1:6380/0");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        options.warnAboutPasswordInOnlineUri(new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("eventstream: warning: --online carries credentials, "
                        + "which end up in the Flink job arguments; give the password in EVENTSTREAM_REDIS_PASSWORD or "
                        + "EVENTSTREAM_REDIS_PASSWORD_FILE instead\n");

        JobOutputOptions plain = new JobOutputOptions();
        new CommandLine(plain).parseArgs("--online", "redis://127.0.0.1:6380/0");
        ByteArrayOutputStream none = new ByteArrayOutputStream();
        plain.warnAboutPasswordInOnlineUri(new PrintStream(none, true, StandardCharsets.UTF_8));
        assertThat(none.size()).isZero();
    }
}
