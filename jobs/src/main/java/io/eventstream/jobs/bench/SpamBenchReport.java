package io.eventstream.jobs.bench;

import io.eventstream.jobs.bench.BenchReport.FlinkRun;
import io.eventstream.jobs.bench.BenchReport.Machine;
import io.eventstream.jobs.bench.BenchReport.Produce;
import io.eventstream.jobs.bench.BenchReport.Workload;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * What {@code eventstream bench spam} measured, printed as a table and written as JSON (field
 * names as in the records below).
 *
 * @param machine               where it ran
 * @param workload              the events
 * @param produce               putting them on Kafka (not part of the timed run)
 * @param flink                 the spam job from Kafka to Parquet and SQLite on a MiniCluster (timed)
 * @param loop                  the plain single-threaded loop (the practical limit)
 * @param flinkPerCoreVsLoop    Flink events per CPU second ÷ loop events per CPU second
 * @param jobRounds             runs of the job ({@code --job-rounds}); {@code flink} is the best later one
 * @param coldRound             the first run when it is not the counted one, else null
 */
public record SpamBenchReport(
        Machine machine,
        Workload workload,
        Produce produce,
        FlinkRun flink,
        Loop loop,
        double flinkPerCoreVsLoop,
        int jobRounds,
        BenchReport.ColdRound coldRound)
        implements BenchReport.Printable {

    /** Target of issue 3: events/s per core of CPU used, through the Flink path. */
    public static final double TARGET_EVENTS_PER_CORE_SECOND = 50_000;

    /**
     * @param rounds                      passes run (the first warms up the JIT)
     * @param wallSeconds                 the best pass, elapsed
     * @param cpuSeconds                  the best pass, thread CPU time
     * @param eventsPerCpuSecond          events / cpuSeconds of the best pass
     * @param featureRows                 feature rows built (must equal the job's {@code spam_features} rows)
     * @param activeUsers                 users with state at the last event
     * @param stateBytesPerActiveUser     serialized state bytes / active users
     * @param onlineStateBytesPerActiveUser  {@code spam_user_state} row bytes (column text forms, state in
     *                                    base64) / active users: the request-time online encoding
     */
    public record Loop(
            int rounds,
            double wallSeconds,
            double cpuSeconds,
            double eventsPerCpuSecond,
            long featureRows,
            long activeUsers,
            double stateBytesPerActiveUser,
            double onlineStateBytesPerActiveUser)
            implements BenchReport.LoopFigures {}

    /** Whether the Flink path reaches {@link #TARGET_EVENTS_PER_CORE_SECOND}. */
    public boolean meetsTarget() {
        return flink.eventsPerCpuSecond() >= TARGET_EVENTS_PER_CORE_SECOND;
    }

    @Override
    public void print(PrintWriter out) {
        BenchReport.printHeader(out, "spam", machine, workload, produce, flink);
        String row = BenchReport.ROW;
        BenchReport.printFlinkFigures(out, flink, jobRounds);
        out.printf(
                Locale.ROOT,
                row,
                "state bytes per active user",
                String.format(Locale.ROOT, "%.0f (%,d users)", loop.stateBytesPerActiveUser(), loop.activeUsers()));
        out.printf(
                Locale.ROOT,
                row,
                "online spam_user_state bytes per active user",
                String.format(Locale.ROOT, "%.0f (goal <= 1024)", loop.onlineStateBytesPerActiveUser()));
        BenchReport.printLoopFigures(out, flink, loop, coldRound);
        out.printf(Locale.ROOT, row, "target >= 50,000 events/s per core", meetsTarget() ? "met" : "NOT met");
        BenchReport.printFlinkBreakdown(out, flink);
        out.println("  rows: " + flink.rowsByDataset() + ", online " + flink.onlineRows() + "; loop feature rows "
                + loop.featureRows()
                + (loop.featureRows() == flink.rowsByDataset().getOrDefault("spam_features", -1L)
                        ? " (equal)"
                        : " (DIFFERENT from the job)"));
    }
}
