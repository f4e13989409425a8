package io.eventstream.jobs.cli;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.generator.GeneratorConfig;
import io.eventstream.jobs.bench.BenchReport;
import io.eventstream.jobs.bench.BenchReport.FlinkRun;
import io.eventstream.jobs.bench.BenchReport.Machine;
import io.eventstream.jobs.bench.BenchReport.Produce;
import io.eventstream.jobs.bench.BenchReport.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * What one feature job adds to {@code eventstream bench <job>}: the job, the events it runs on, its
 * online tables, its plain single-threaded loop and its report. Everything else (the run directory,
 * generating and producing the events, the metered Flink run, the loop's rounds, the report's
 * printing and JSON) is the same for every job: {@link BenchCommand.BenchOptions#execute}.
 *
 * @param <L> the job's plain-loop figures in its report
 */
interface JobBench<L extends BenchReport.LoopFigures> {

    /**
     * The events a benchmark runs on.
     *
     * @param generator    the generator's settings
     * @param maxEvents    at most this many (the generator may run out first)
     * @param description  what the log line before generating says, e.g. {@code generating 2,000 events (...)}
     */
    record Events(GeneratorConfig generator, long maxEvents, String description) {}

    /** The job, with its config. */
    FeatureJob job();

    Events events();

    /** Sees each event as it is generated, e.g. to count the hot project's merge requests. */
    default void onGenerated(CloudEvent event) {}

    /** Says what was generated, once it all is. */
    void generated(KafkaBenchRun.Generated generated, double generateSeconds, PrintWriter log);

    /** The SQLite database of the job's online tables, named without {@code .sqlite}. */
    String onlineDatabase();

    /** The online tables whose rows the report counts. */
    List<String> onlineTables();

    /**
     * Runs the plain loop over the events file {@code rounds} times and gives the figures of the
     * pass with the least CPU time ({@link #leastCpu}).
     */
    L plainLoop(Path eventsFile, KafkaBenchRun.Generated generated, int rounds) throws IOException;

    /**
     * The job's report of the run: {@code flink} is the counted round of {@code jobRounds}, {@code coldRound}
     * the first when it is not the counted one (else null).
     */
    BenchReport.Printable report(
            Machine machine,
            Workload workload,
            Produce produce,
            FlinkRun flink,
            L loop,
            double flinkPerCoreVsLoop,
            int jobRounds,
            BenchReport.ColdRound coldRound);

    /** One pass of a plain loop. */
    @FunctionalInterface
    interface Pass<P> {
        P run() throws IOException;
    }

    /** Runs {@code pass} {@code rounds} times; the pass with the least CPU time counts (the first warms up the JIT). */
    static <P> P leastCpu(int rounds, Pass<P> pass, ToLongFunction<P> cpuNanos) throws IOException {
        P best = null;
        for (int round = 0; round < rounds; round++) {
            P candidate = pass.run();
            if (best == null || cpuNanos.applyAsLong(candidate) < cpuNanos.applyAsLong(best)) {
                best = candidate;
            }
        }
        return best;
    }
}
