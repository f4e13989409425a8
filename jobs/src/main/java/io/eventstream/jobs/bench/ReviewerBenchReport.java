package io.eventstream.jobs.bench;

import io.eventstream.jobs.bench.BenchReport.FlinkRun;
import io.eventstream.jobs.bench.BenchReport.Machine;
import io.eventstream.jobs.bench.BenchReport.Produce;
import io.eventstream.jobs.bench.BenchReport.Workload;
import io.eventstream.jobs.bench.ReviewerFeatureLoop.StateSample;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * What {@code eventstream bench reviewers} measured, printed as a table and written as JSON (field
 * names as in the records below).
 *
 * @param machine               where it ran
 * @param workload              the events
 * @param produce               putting them on Kafka (not part of the timed run)
 * @param flink                 the reviewer job from Kafka to Parquet and SQLite on a MiniCluster (timed)
 * @param loop                  the plain single-threaded loop (the practical limit) and the state samples
 * @param flinkPerCoreVsLoop    Flink events per CPU second ÷ loop events per CPU second
 * @param jobRounds             runs of the job ({@code --job-rounds}); {@code flink} is the best later one
 * @param coldRound             the first run when it is not the counted one, else null
 */
public record ReviewerBenchReport(
        Machine machine,
        Workload workload,
        Produce produce,
        FlinkRun flink,
        Loop loop,
        double flinkPerCoreVsLoop,
        int jobRounds,
        BenchReport.ColdRound coldRound)
        implements BenchReport.Printable {

    /**
     * @param rounds                 passes run (the first warms up the JIT)
     * @param wallSeconds            the best pass, elapsed
     * @param cpuSeconds             the best pass, thread CPU time (state samples excluded)
     * @param eventsPerCpuSecond     events / cpuSeconds of the best pass
     * @param inputs                 reviewer inputs among the events (the rest is dropped by the first operator)
     * @param candidateRows          candidate rows built (must equal the job's {@code reviewer_candidates} rows)
     * @param labelRows              label rows built (must equal the job's {@code reviewer_labels} rows)
     * @param sampledProject         the project whose state was sampled (the hot project, else the busiest)
     * @param sampledProjectInputs   its inputs
     * @param stateSamples           its serialized state at the sampled days
     */
    public record Loop(
            int rounds,
            double wallSeconds,
            double cpuSeconds,
            double eventsPerCpuSecond,
            long inputs,
            long candidateRows,
            long labelRows,
            long sampledProject,
            long sampledProjectInputs,
            List<StateSample> stateSamples)
            implements BenchReport.LoopFigures {}

    @Override
    public void print(PrintWriter out) {
        BenchReport.printHeader(out, "reviewers", machine, workload, produce, flink);
        BenchReport.printFlinkFigures(out, flink, jobRounds);
        BenchReport.printLoopFigures(out, flink, loop, coldRound);
        out.println();
        out.printf(
                Locale.ROOT,
                "  state of project %d (%,d of %,d reviewer inputs), serialized as in checkpoints:%n",
                loop.sampledProject(),
                loop.sampledProjectInputs(),
                loop.inputs());
        for (StateSample sample : loop.stateSamples()) {
            out.printf(
                    Locale.ROOT,
                    "    day %3d: %,13d bytes (serialize %.0f ms CPU) %s%n",
                    sample.day(),
                    sample.bytes(),
                    sample.serializeMillis(),
                    sample.bytesByPart());
            out.printf(Locale.ROOT, "             %s%n", sample.summary());
        }
        BenchReport.printFlinkBreakdown(out, flink);
        long jobCandidates = flink.rowsByDataset().getOrDefault("reviewer_candidates", -1L);
        long jobLabels = flink.rowsByDataset().getOrDefault("reviewer_labels", -1L);
        out.println("  rows: " + flink.rowsByDataset() + ", online " + flink.onlineRows() + "; loop candidate rows "
                + loop.candidateRows() + ", label rows " + loop.labelRows()
                + (loop.candidateRows() == jobCandidates && loop.labelRows() == jobLabels
                        ? " (equal)"
                        : " (DIFFERENT from the job)"));
    }
}
