package io.eventstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.withinPercentage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.IssueData;
import io.eventstream.features.events.MergeRequestData;
import io.eventstream.features.events.NoteData;
import io.eventstream.features.generator.GeneratorConfig;
import io.eventstream.features.generator.SyntheticEventGenerator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench spam} end to end on a tiny workload: real in-process Kafka broker, real MiniCluster,
 * real Parquet and SQLite outputs. Checks the report's fields and row counts, never timings.
 */
class BenchCommandTest {

    private static final int EVENTS = 2000;

    @TempDir
    Path temp;

    @Test
    void benchSpamReportsEveryFigureAndCleansUp() throws Exception {
        Path work = Files.createDirectories(temp.resolve("work"));
        Path report = temp.resolve("report.json");
        // A short checkpoint interval: the bounded job's last Parquet files wait for a checkpoint.
        Path config = Files.writeString(temp.resolve("spam.yaml"), "checkpoint:\n  interval: 1s\n");
        StringWriter out = new StringWriter();
        CommandLine cli = EventstreamCli.commandLine();
        cli.setOut(new PrintWriter(out, true));

        int exit = cli.execute("bench", "spam", "--events", String.valueOf(EVENTS), "--parallelism", "2",
                "--loop-rounds", "1", "--config", config.toString(), "--work-dir", work.toString(),
                "--report", report.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("events/s per core of CPU used", "Flink per core / loop",
                "state bytes per active user", "target >= 50,000 events/s per core");
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).as("run directory removed without --keep").isEmpty();
        }

        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.path("machine").path("cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(json.path("machine").path("heapMaxBytes").asLong()).isEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(json.path("workload").path("events").asLong()).isEqualTo(EVENTS);
        assertThat(json.path("produce").path("partitions").asInt()).isEqualTo(2);

        JsonNode flink = json.path("flink");
        long contentEvents = contentEventsAmongFirst(EVENTS, json.path("workload"));
        assertThat(contentEvents).isPositive();
        assertThat(flink.path("parallelism").asInt()).isEqualTo(2);
        assertThat(flink.path("rowsByDataset").path("spam_features").asLong()).isEqualTo(contentEvents);
        assertThat(flink.path("rowsByDataset").path("dead_letters").asLong()).isZero();
        assertThat(flink.path("rowsByDataset").path("late_events").asLong()).isZero();
        assertThat(flink.path("onlineRows").asLong()).isPositive();
        for (String figure : new String[] {"wallSeconds", "cpuSeconds", "eventsPerSecond", "cpuSecondsPerMillionEvents",
                "eventsPerCpuSecond", "eventsPerCpuSecondWithoutBroker", "peakHeapBytes"}) {
            assertThat(flink.path(figure).asDouble()).as(figure).isPositive();
        }
        double groups = 0;
        for (JsonNode seconds : flink.path("cpuSecondsByThreadGroup")) {
            groups += seconds.asDouble();
        }
        assertThat(groups).as("thread groups add up to the process CPU time")
                .isCloseTo(flink.path("cpuSeconds").asDouble(), offset(0.01));
        assertThat(flink.path("eventsPerCpuSecond").asDouble())
                .isCloseTo(EVENTS / flink.path("cpuSeconds").asDouble(), withinPercentage(0.01));

        JsonNode loop = json.path("loop");
        assertThat(loop.path("featureRows").asLong()).isEqualTo(contentEvents);
        assertThat(loop.path("activeUsers").asLong()).isPositive();
        assertThat(loop.path("stateBytesPerActiveUser").asDouble()).isPositive();
        assertThat(json.path("flinkPerCoreVsLoop").asDouble())
                .isCloseTo(flink.path("eventsPerCpuSecond").asDouble() / loop.path("eventsPerCpuSecond").asDouble(),
                        withinPercentage(0.01));
    }

    @Test
    void benchReviewersOnAHotProjectReportsStateGrowthAndMatchesTheLoop() throws Exception {
        Path work = Files.createDirectories(temp.resolve("work-reviewers"));
        Path report = temp.resolve("reviewers.json");
        Path config = Files.writeString(temp.resolve("reviewers.yaml"), "checkpoint:\n  interval: 1s\n");
        StringWriter out = new StringWriter();
        CommandLine cli = EventstreamCli.commandLine();
        cli.setOut(new PrintWriter(out, true));

        int exit = cli.execute("bench", "reviewers", "--hot-project", "--hot-members", "40", "--hot-sessions", "3",
                "--users", "30", "--days", "3", "--state-days", "3,1,2", "--parallelism", "2", "--loop-rounds", "1",
                "--config", config.toString(), "--work-dir", work.toString(), "--report", report.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("events/s per core of CPU used", "state of project 100", "(equal)");
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).as("run directory removed without --keep").isEmpty();
        }
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.path("workload").path("hotProjectMembers").asInt()).isEqualTo(40);
        assertThat(json.path("workload").path("days").asInt()).isEqualTo(3);
        JsonNode flink = json.path("flink");
        JsonNode loop = json.path("loop");
        assertThat(loop.path("candidateRows").asLong()).isPositive()
                .isEqualTo(flink.path("rowsByDataset").path("reviewer_candidates").asLong());
        assertThat(loop.path("labelRows").asLong()).isPositive()
                .isEqualTo(flink.path("rowsByDataset").path("reviewer_labels").asLong());
        assertThat(flink.path("rowsByDataset").path("reviewer_dead_letters").asLong()).isZero();
        assertThat(flink.path("onlineRows").asLong()).isPositive();
        double groups = 0;
        for (JsonNode seconds : flink.path("cpuSecondsByThreadGroup")) {
            groups += seconds.asDouble();
        }
        assertThat(groups).isCloseTo(flink.path("cpuSeconds").asDouble(), offset(0.01));

        assertThat(loop.path("sampledProject").asLong()).isEqualTo(100);
        JsonNode samples = loop.path("stateSamples");
        assertThat(samples).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode sample = samples.get(i);
            assertThat(sample.path("day").asInt()).isEqualTo(i + 1);
            long parts = 0;
            for (JsonNode bytes : sample.path("bytesByPart")) {
                parts += bytes.asLong();
            }
            // The parts plus the 25-byte header (format version, layout, last event, last compaction) are the whole.
            assertThat(sample.path("bytes").asLong()).isPositive().isEqualTo(parts + 25);
        }
    }

    /**
     * Independent count of the feature rows: issues and merge requests opened with an author or
     * actor, and notes that are not system notes, among the first {@code n} generated events.
     */
    static long contentEventsAmongFirst(int n, JsonNode workload) {
        GeneratorConfig config = GeneratorConfig.of(workload.path("seed").asLong(), workload.path("users").asInt(),
                workload.path("projects").asInt(), workload.path("days").asInt());
        SyntheticEventGenerator generator = new SyntheticEventGenerator(config);
        long content = 0;
        for (int i = 0; i < n && generator.hasNext(); i++) {
            CloudEvent event = generator.next();
            if (event.type() == EventType.ISSUE_OPENED) {
                IssueData issue = event.dataAs(IssueData.class);
                content += issue.authorId() != null || issue.actorId() != null ? 1 : 0;
            } else if (event.type() == EventType.MERGE_REQUEST_OPENED) {
                MergeRequestData mr = event.dataAs(MergeRequestData.class);
                content += mr.authorId() != null || mr.actorId() != null ? 1 : 0;
            } else if (event.type() == EventType.NOTE_CREATED) {
                content += event.dataAs(NoteData.class).system() ? 0 : 1;
            }
        }
        return content;
    }
}
