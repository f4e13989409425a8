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
import io.eventstream.generator.GeneratorConfig;
import io.eventstream.generator.SyntheticEventGenerator;
import io.eventstream.jobs.bench.ResourceMeter;
import io.eventstream.jobs.testing.DuckDbDatasets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench spam} and {@code bench reviewers} end to end on tiny workloads: real in-process Kafka
 * broker, real MiniCluster, real Parquet and SQLite outputs. Checks the report's fields and row
 * counts, never timings.
 */
class BenchCommandTest {

    private static final int EVENTS = 2000;

    @TempDir
    Path temp;

    @Test
    void withAnOutputRootTheRunsDatasetsAndCheckpointsGoUnderItNotIntoTheRunDirectory() {
        Path run = temp.resolve("bench-spam-20261206-2100");
        assertThat(KafkaBenchRun.datasetRoot("s3://bench/runs/", run))
                .isEqualTo("s3://bench/runs/bench-spam-20261206-2100");
        assertThat(KafkaBenchRun.checkpointsBeside("s3://bench/runs/", run))
                .isEqualTo("s3://bench/runs/bench-spam-20261206-2100-checkpoints");

        assertThat(KafkaBenchRun.datasetRoot(null, run)).isEqualTo(temp + "/bench-spam-20261206-2100/out/datasets");
        assertThat(KafkaBenchRun.checkpointsBeside(null, run))
                .isEqualTo("file://" + temp + "/bench-spam-20261206-2100/checkpoints");
    }

    @Test
    void benchSpamReportsEveryFigureAndCleansUp() throws Exception {
        BenchRun bench = bench("spam", "--events", String.valueOf(EVENTS));

        assertThat(bench.output())
                .contains(
                        "events/s per core of CPU used",
                        "Flink per core / loop",
                        "state bytes per active user",
                        "target >= 50,000 events/s per core");

        JsonNode json = bench.report();
        assertThat(json.path("machine").path("cores").asInt())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(json.path("machine").path("heapMaxBytes").asLong())
                .isEqualTo(Runtime.getRuntime().maxMemory());
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
        for (String figure : new String[] {
            "wallSeconds",
            "cpuSeconds",
            "eventsPerSecond",
            "cpuSecondsPerMillionEvents",
            "eventsPerCpuSecond",
            "eventsPerCpuSecondWithoutBroker",
            "peakHeapBytes"
        }) {
            assertThat(flink.path(figure).asDouble()).as(figure).isPositive();
        }
        assertThreadGroupsAddUpToTheCpuTime(flink);
        assertThat(flink.path("eventsPerCpuSecond").asDouble())
                .isCloseTo(EVENTS / flink.path("cpuSeconds").asDouble(), withinPercentage(0.01));

        JsonNode loop = json.path("loop");
        assertThat(loop.path("featureRows").asLong()).isEqualTo(contentEvents);
        assertThat(loop.path("activeUsers").asLong()).isPositive();
        assertThat(loop.path("stateBytesPerActiveUser").asDouble()).isPositive();
        assertThat(json.path("flinkPerCoreVsLoop").asDouble())
                .isCloseTo(
                        flink.path("eventsPerCpuSecond").asDouble()
                                / loop.path("eventsPerCpuSecond").asDouble(),
                        withinPercentage(0.01));
    }

    @Test
    void benchReviewersOnAHotProjectReportsStateGrowthAndMatchesTheLoop() throws Exception {
        BenchRun bench = bench(
                "reviewers",
                "--hot-project",
                "--hot-members",
                "40",
                "--hot-sessions",
                "3",
                "--users",
                "30",
                "--days",
                "3",
                "--state-days",
                "3,1,2");

        assertThat(bench.output()).contains("events/s per core of CPU used", "state of project 100", "(equal)");
        JsonNode json = bench.report();
        assertThat(json.path("workload").path("hotProjectMembers").asInt()).isEqualTo(40);
        assertThat(json.path("workload").path("days").asInt()).isEqualTo(3);
        JsonNode flink = json.path("flink");
        JsonNode loop = json.path("loop");
        assertThat(loop.path("candidateRows").asLong())
                .isPositive()
                .isEqualTo(
                        flink.path("rowsByDataset").path("reviewer_candidates").asLong());
        assertThat(loop.path("labelRows").asLong())
                .isPositive()
                .isEqualTo(flink.path("rowsByDataset").path("reviewer_labels").asLong());
        assertThat(flink.path("rowsByDataset").path("reviewer_dead_letters").asLong())
                .isZero();
        assertThat(flink.path("onlineRows").asLong()).isPositive();
        assertThreadGroupsAddUpToTheCpuTime(flink);

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
            // The parts (the header one of them) are the whole.
            assertThat(sample.path("bytesByPart").has("header")).isTrue();
            assertThat(sample.path("bytes").asLong()).isPositive().isEqualTo(parts);
        }
    }

    @Test
    void benchReviewersWithAnOutputRootWritesEveryJobRoundsDatasetsAndCheckpointsUnderIt() throws Exception {
        Path root = temp.resolve("bench-root");

        BenchRun bench = bench(
                "reviewers",
                "--events",
                String.valueOf(EVENTS),
                "--state-days",
                "1",
                "--job-rounds",
                "2",
                "--out",
                root.toUri() + "/");

        List<String> underRoot;
        try (Stream<Path> entries = Files.list(root)) {
            underRoot = entries.map(entry -> entry.getFileName().toString())
                    .sorted()
                    .toList();
        }
        assertThat(underRoot).hasSize(4);
        String run = underRoot.get(0);
        assertThat(run).startsWith("bench-reviewers-");
        assertThat(underRoot)
                .containsExactly(run, run + "-checkpoints", run + "-round-2", run + "-round-2-checkpoints");
        JsonNode report = bench.report();
        JsonNode loop = report.path("loop");
        for (String round : List.of(run, run + "-round-2")) {
            assertThat(rowCount(root.resolve(round).resolve("reviewer_candidates/v1")))
                    .as(round)
                    .isPositive()
                    .isEqualTo(loop.path("candidateRows").asLong());
            assertThat(rowCount(root.resolve(round).resolve("reviewer_labels/v1")))
                    .as(round)
                    .isEqualTo(loop.path("labelRows").asLong());
        }

        // The counted figures are the second round's; the first is reported beside them.
        assertThat(report.path("jobRounds").asInt()).isEqualTo(2);
        JsonNode cold = report.path("coldRound");
        JsonNode flink = report.path("flink");
        assertThat(cold.path("flink").path("rowsByDataset")).isEqualTo(flink.path("rowsByDataset"));
        assertThat(cold.path("flink").path("onlineRows").asLong())
                .isEqualTo(flink.path("onlineRows").asLong());
        assertThat(cold.path("flink").path("cpuSeconds").asDouble())
                .isNotEqualTo(flink.path("cpuSeconds").asDouble());
        assertThat(cold.path("flinkPerCoreVsLoop").asDouble())
                .isCloseTo(
                        cold.path("flink").path("eventsPerCpuSecond").asDouble()
                                / loop.path("eventsPerCpuSecond").asDouble(),
                        withinPercentage(0.01));
        assertThat(bench.output()).contains("best of rounds 2..2", "First round (cold JVM, JIT compiling)");

        // The JIT compiler threads' CPU is read from /proc: a cold JVM's first round surely compiles, and
        // the figure without it leaves out exactly that group.
        double coldJit = cold.path("flink")
                .path("cpuSecondsByThreadGroup")
                .path(ResourceMeter.JIT_COMPILER_THREADS)
                .asDouble();
        assertThat(coldJit).as("JIT compiling in the cold round").isGreaterThan(1.0);
        for (JsonNode round : new JsonNode[] {cold.path("flink"), flink}) {
            double jit = round.path("cpuSecondsByThreadGroup")
                    .path(ResourceMeter.JIT_COMPILER_THREADS)
                    .asDouble();
            assertThat(round.path("eventsPerCpuSecondWithoutJit").asDouble())
                    .isCloseTo(
                            round.path("eventsPerCpuSecond").asDouble()
                                    * round.path("cpuSeconds").asDouble()
                                    / (round.path("cpuSeconds").asDouble() - jit),
                            withinPercentage(0.01));
        }
        assertThat(bench.output()).contains("the same without JIT compiling");
    }

    /** What a bench printed, and its JSON report. */
    private record BenchRun(String output, JsonNode report) {}

    /**
     * Runs {@code eventstream bench <job> <options>} at parallelism 2 with one loop round, one job round
     * unless the options say otherwise, and 1 s checkpoints (the bounded job's last Parquet files wait for a checkpoint), in a work directory
     * of its own; checks that it succeeded and removed its run directory.
     */
    private BenchRun bench(String job, String... options) throws Exception {
        Path work = Files.createDirectories(temp.resolve("work"));
        Path report = temp.resolve("report.json");
        Path config = Files.writeString(temp.resolve(job + ".yaml"), "checkpoint:\n  interval: 1s\n");
        StringWriter out = new StringWriter();
        CommandLine cli = EventstreamCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        List<String> args = new ArrayList<>(List.of("bench", job));
        args.addAll(List.of(options));
        if (!args.contains("--job-rounds")) {
            args.addAll(List.of("--job-rounds", "1"));
        }
        args.addAll(List.of(
                "--parallelism",
                "2",
                "--loop-rounds",
                "1",
                "--config",
                config.toString(),
                "--work-dir",
                work.toString(),
                "--report",
                report.toString()));

        int exit = cli.execute(args.toArray(String[]::new));

        assertThat(exit).as(out.toString()).isZero();
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).as("run directory removed without --keep").isEmpty();
        }
        return new BenchRun(out.toString(), new ObjectMapper().readTree(report.toFile()));
    }

    private static void assertThreadGroupsAddUpToTheCpuTime(JsonNode flink) {
        double groups = 0;
        for (JsonNode seconds : flink.path("cpuSecondsByThreadGroup")) {
            groups += seconds.asDouble();
        }
        assertThat(groups)
                .as("thread groups add up to the process CPU time")
                .isCloseTo(flink.path("cpuSeconds").asDouble(), offset(0.01));
    }

    /** Rows of a dataset version's Parquet files, counted by DuckDB (none without part files). */
    private static long rowCount(Path versionDir) {
        if (DuckDbDatasets.parquetFiles(versionDir).isEmpty()) {
            return 0;
        }
        long[] count = new long[1];
        DuckDbDatasets.query(
                "SELECT COUNT(*) FROM " + DuckDbDatasets.readParquet(versionDir), rs -> count[0] = rs.getLong(1));
        return count[0];
    }

    /**
     * Independent count of the feature rows: issues and merge requests opened with an author or
     * actor, and notes that are not system notes, among the first {@code n} generated events.
     */
    static long contentEventsAmongFirst(int n, JsonNode workload) {
        GeneratorConfig config = GeneratorConfig.of(
                workload.path("seed").asLong(),
                workload.path("users").asInt(),
                workload.path("projects").asInt(),
                workload.path("days").asInt());
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
