package io.eventstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.generator.GeneratorConfig;
import io.eventstream.generator.JsonLinesTruthSink;
import io.eventstream.generator.SyntheticEventGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = new CommandLine(new GenerateCommand());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        return command.execute(args);
    }

    /** The same events and truth, generated in-process and encoded the way the command documents. */
    private static byte[][] expected(GeneratorConfig config) {
        CloudEventJson json = new CloudEventJson();
        ByteArrayOutputStream events = new ByteArrayOutputStream();
        ByteArrayOutputStream truth = new ByteArrayOutputStream();
        try (JsonLinesTruthSink sink = new JsonLinesTruthSink(truth)) {
            SyntheticEventGenerator generator = new SyntheticEventGenerator(config, sink);
            while (generator.hasNext()) {
                events.writeBytes(json.write(generator.next()));
                events.write('\n');
            }
        }
        return new byte[][] {events.toByteArray(), truth.toByteArray()};
    }

    @Test
    void writesTheGeneratorsEventsAndTruthByteForByte() throws IOException {
        Path events = dir.resolve("events.jsonl");
        Path truth = dir.resolve("truth.jsonl");
        int code = run(
                "--seed",
                "9",
                "--users",
                "60",
                "--projects",
                "4",
                "--days",
                "5",
                "--start",
                "2024-03-04T00:00:00Z",
                "--spam-fraction",
                "0.1",
                "--out",
                events.toString(),
                "--truth",
                truth.toString());
        assertThat(code).as(err.toString()).isZero();

        GeneratorConfig config = GeneratorConfig.of(9, 60, 4, 5)
                .withStart(Instant.parse("2024-03-04T00:00:00Z"))
                .withSpamFraction(0.1);
        byte[][] expected = expected(config);
        assertThat(Files.readAllBytes(events)).isEqualTo(expected[0]);
        assertThat(Files.readAllBytes(truth)).isEqualTo(expected[1]);
        long lines = Files.lines(events).count();
        assertThat(lines).isGreaterThan(500);
        // round(60 * 0.1) = 6 spammers in the truth.
        assertThat(Files.readAllLines(truth).stream()
                        .filter(l -> l.startsWith("{\"kind\":\"spammer\""))
                        .count())
                .isEqualTo(6);
        assertThat(out.toString())
                .startsWith("generated " + lines + " events in ")
                .contains(events.toString())
                .contains(truth.toString());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void maxEventsStopsEarlyWithAPrefixOfTheFullRun() throws IOException {
        Path events = dir.resolve("head.jsonl");
        assertThat(run(
                        "--users",
                        "40",
                        "--projects",
                        "3",
                        "--days",
                        "3",
                        "--max-events",
                        "100",
                        "--out",
                        events.toString()))
                .isZero();
        List<String> head = Files.readAllLines(events);
        assertThat(head).hasSize(100);
        CloudEventJson json = new CloudEventJson();
        List<CloudEvent> full = SyntheticEventGenerator.generateAll(GeneratorConfig.of(1, 40, 3, 3));
        for (int i = 0; i < head.size(); i++) {
            assertThat(json.read(head.get(i)).value()).isEqualTo(full.get(i));
        }
    }

    @Test
    void badSettingsAreUsageErrors() {
        assertThat(run("--users", "0", "--out", dir.resolve("x.jsonl").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("users must be at least 1");
        assertThat(run("--users", "10")).isEqualTo(2);
        assertThat(err.toString()).contains("--out").contains("--kafka");
        assertThat(run("--kafka", "127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString()).contains("--kafka needs --topic");
        assertThat(run("--out", "a.jsonl", "--kafka", "127.0.0.1:1", "--topic", "t"))
                .isEqualTo(2);
        assertThat(run("--start", "yesterday", "--out", "a.jsonl")).isEqualTo(2);
        assertThat(dir.resolve("x.jsonl")).doesNotExist();
    }

    @Test
    void missingParentDirectoriesOfBothFilesAreCreated() throws IOException {
        Path events = dir.resolve("new/run/events.jsonl");
        Path truth = dir.resolve("other/dir/truth.jsonl");
        assertThat(run(
                        "--users",
                        "20",
                        "--projects",
                        "2",
                        "--days",
                        "1",
                        "--out",
                        events.toString(),
                        "--truth",
                        truth.toString()))
                .as(err.toString())
                .isZero();
        byte[][] expected = expected(GeneratorConfig.of(1, 20, 2, 1));
        assertThat(Files.readAllBytes(events)).isEqualTo(expected[0]);
        assertThat(Files.readAllBytes(truth)).isEqualTo(expected[1]);
    }

    @Test
    void anUnwritableOutputIsAFailedRunWithAMessage() throws IOException {
        // A regular file where a directory is needed: no directory can be created there.
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        assertThat(run(
                        "--users",
                        "10",
                        "--out",
                        notADirectory.resolve("events.jsonl").toString()))
                .isEqualTo(1);
        assertThat(err.toString()).startsWith("generate: cannot write: ");
    }

    @Test
    void helpDescribesTheOptions() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString())
                .contains(
                        "--seed",
                        "--users",
                        "--projects",
                        "--days",
                        "--start",
                        "--spam-fraction",
                        "--late-fraction",
                        "--max-jitter",
                        "--out",
                        "--kafka",
                        "--topic",
                        "--truth",
                        "--progress");
    }
}
