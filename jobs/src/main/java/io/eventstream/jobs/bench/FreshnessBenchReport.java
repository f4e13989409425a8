package io.eventstream.jobs.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@code eventstream bench freshness} measured: delays from the Kafka append of an event to its
 * online row being readable, over the events of the measured phase.
 *
 * @param targetEventsPerSecond      the producer's steady rate
 * @param achievedEventsPerSecond    events appended per second during the measured phase
 * @param partitions                 Kafka partitions of the topic
 * @param parallelism                parallelism of each job
 * @param watermarkBoundMillis       the spam job's bounded out-of-orderness
 * @param allowedLatenessMillis      the spam job's allowed lateness (events wait for it too)
 * @param onlineMaxDelayMillis       longest a row waits in the online sink's buffer
 * @param warmupSeconds              produced before the measured phase, not measured
 * @param measuredSeconds            length of the measured phase
 * @param producedTotal              events produced in all (warm-up, measured, drain)
 * @param measuredEvents             events produced in the measured phase
 * @param measuredRowsSeen           of those, online rows seen readable
 * @param delay                      append → readable, over the measured rows seen
 * @param slices                     the same by 10 s of append time, from the first measured append
 * @param goalMillis                 watermark bound + allowed lateness + 1 s
 * @param machine                    where it ran
 */
public record FreshnessBenchReport(
        double targetEventsPerSecond,
        double achievedEventsPerSecond,
        int partitions,
        int parallelism,
        long watermarkBoundMillis,
        long allowedLatenessMillis,
        long onlineMaxDelayMillis,
        double warmupSeconds,
        double measuredSeconds,
        long producedTotal,
        long measuredEvents,
        long measuredRowsSeen,
        DelayStats delay,
        List<Slice> slices,
        long goalMillis,
        BenchReport.Machine machine)
        implements BenchReport.Printable {

    /** The delays of the events appended from {@code startSecond} of the measured phase on, for 10 s. */
    public record Slice(long startSecond, DelayStats delay) {}

    public boolean goalMet() {
        return delay.p99Millis() <= goalMillis;
    }

    @Override
    public void print(PrintWriter out) {
        out.println();
        out.printf(
                Locale.ROOT,
                "bench freshness: both jobs (spam, reviewers) on embedded MiniClusters, parallelism %d each, %d partitions%n",
                parallelism,
                partitions);
        out.printf(
                Locale.ROOT,
                "machine: %d cores (nproc %s), %s, JVM %s, load average %.2f before / %.2f after%n",
                machine.cores(),
                machine.nproc(),
                machine.cpuModel() == null ? "cpu model unknown" : machine.cpuModel(),
                machine.jvm(),
                machine.loadAverageBefore(),
                machine.loadAverageAfter());
        out.printf(
                Locale.ROOT,
                "producer: %,.0f events/s target, %,.0f achieved; %.0f s warm-up, %.0f s measured; %,d events produced in all%n",
                targetEventsPerSecond,
                achievedEventsPerSecond,
                warmupSeconds,
                measuredSeconds,
                producedTotal);
        out.printf(
                Locale.ROOT,
                "spam job: watermark bound %,d ms, allowed lateness %,d ms, online sink max delay %,d ms%n",
                watermarkBoundMillis,
                allowedLatenessMillis,
                onlineMaxDelayMillis);
        out.println();
        out.printf(Locale.ROOT, BenchReport.ROW, "Kafka append -> online row readable (SQLite)", "");
        out.printf(
                Locale.ROOT,
                BenchReport.ROW,
                "events measured / rows seen",
                String.format(Locale.ROOT, "%,d / %,d", measuredEvents, measuredRowsSeen));
        out.printf(Locale.ROOT, BenchReport.ROW, "p50 ms", BenchReport.number(delay.p50Millis()));
        out.printf(Locale.ROOT, BenchReport.ROW, "p99 ms", BenchReport.number(delay.p99Millis()));
        out.printf(Locale.ROOT, BenchReport.ROW, "max ms", BenchReport.number(delay.maxMillis()));
        out.printf(Locale.ROOT, BenchReport.ROW, "mean ms", BenchReport.number(delay.meanMillis()));
        out.printf(
                Locale.ROOT,
                BenchReport.ROW,
                "p99 ms by 10 s of the run",
                slices.stream()
                        .map(slice -> BenchReport.number(slice.delay().p99Millis()))
                        .collect(Collectors.joining(" ")));
        out.printf(
                Locale.ROOT,
                BenchReport.ROW,
                "goal: p99 <= bound + lateness + 1 s (ms)",
                BenchReport.number(goalMillis) + (goalMet() ? " met" : " NOT met"));
    }
}
