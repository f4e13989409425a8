package io.eventstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.jobs.bench.FreshnessBenchReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench freshness} for a few seconds: real in-process Kafka broker, both jobs on real
 * MiniClusters, the real SQLite online table. Checks that the report is consistent (every measured
 * event's row seen, percentiles ordered, the delay at least what the watermark imposes), never how
 * fast it was.
 */
class BenchFreshnessCommandTest {

    @TempDir
    Path temp;

    @Test
    void everyMeasuredEventsRowIsSeenAndTheFiguresAreConsistent() throws Exception {
        Path work = Files.createDirectories(temp.resolve("work"));
        Path report = temp.resolve("freshness.json");
        Path config = Files.writeString(
                temp.resolve("spam.yaml"),
                "time:\n  max_out_of_orderness: 1s\n  allowed_lateness: 0s\ncheckpoint:\n  interval: 2s\n");
        StringWriter out = new StringWriter();
        CommandLine cli = EventstreamCli.commandLine();
        cli.setOut(new PrintWriter(out, true));

        int exit = cli.execute(
                "bench",
                "freshness",
                "--rate",
                "250",
                "--warmup",
                "2",
                "--seconds",
                "4",
                "--config",
                config.toString(),
                "--work-dir",
                work.toString(),
                "--report",
                report.toString());

        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString())
                .contains("Kafka append -> online row readable", "p99 ms", "goal: p99 <= bound + lateness + 1 s");
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).as("run directory removed without --keep").isEmpty();
        }
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.path("measuredEvents").asLong()).isEqualTo(250 * 4);
        assertThat(json.path("measuredRowsSeen").asLong()).isEqualTo(250 * 4);
        assertThat(json.path("producedTotal").asLong()).isGreaterThanOrEqualTo(250 * 6);
        JsonNode delay = json.path("delay");
        assertThat(delay.path("count").asLong()).isEqualTo(250 * 4);
        long p50 = delay.path("p50Millis").asLong();
        long p99 = delay.path("p99Millis").asLong();
        long max = delay.path("maxMillis").asLong();
        assertThat(p50).isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(max);
        // A row is written only once the watermark (newest event time - 1 s bound) has passed its event
        // (allowed lateness 0): at 250 events/s that takes about the bound, so no row is readable much sooner.
        assertThat(p50).isGreaterThanOrEqualTo(500);
        assertThat(json.path("watermarkBoundMillis").asLong()).isEqualTo(1000);
        assertThat(json.path("allowedLatenessMillis").asLong()).isZero();
        assertThat(json.path("goalMillis").asLong()).isEqualTo(2000);
        // The slices split the same delays: their counts add up, and the largest slice maximum is the maximum.
        long sliceCount = 0;
        long sliceMax = 0;
        for (JsonNode slice : json.path("slices")) {
            sliceCount += slice.path("delay").path("count").asLong();
            sliceMax = Math.max(sliceMax, slice.path("delay").path("maxMillis").asLong());
        }
        assertThat(sliceCount).isEqualTo(250 * 4);
        assertThat(sliceMax).isEqualTo(max);
    }

    @Test
    void slicesGroupTheDelaysByTenSecondsOfAppendTimeFromTheFirstAppend() {
        long[] appendedAt = {5_000, 14_999, 15_000, 15_001, 40_000};
        long[] delays = {100, 300, 200, 400, 50};

        var slices = FreshnessBench.slices(appendedAt, delays);

        assertThat(slices).extracting(FreshnessBenchReport.Slice::startSecond).containsExactly(0L, 10L, 30L);
        assertThat(slices.get(0).delay().count()).isEqualTo(2);
        assertThat(slices.get(0).delay().maxMillis()).isEqualTo(300);
        assertThat(slices.get(1).delay().count()).isEqualTo(2);
        assertThat(slices.get(1).delay().p50Millis()).isEqualTo(200);
        assertThat(slices.get(1).delay().maxMillis()).isEqualTo(400);
        assertThat(slices.get(2).delay().count()).isEqualTo(1);
        assertThat(slices.get(2).delay().maxMillis()).isEqualTo(50);
    }
}
