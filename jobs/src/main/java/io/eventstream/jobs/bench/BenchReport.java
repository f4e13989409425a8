package io.eventstream.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The parts every {@code eventstream bench <job>} report shares (the machine, the workload, producing
 * it to Kafka, the measured Flink run) and how they are printed and written as JSON. The job-specific
 * reports ({@link SpamBenchReport}, {@link ReviewerBenchReport}) add their plain loop and state figures.
 */
public final class BenchReport {
    private BenchReport() {}

    /** A job's report: printed as a table, and written as JSON with {@code --report}. */
    public interface Printable {
        void print(PrintWriter out);

        /** Writes the report as indented JSON (field names as in its record). */
        default void writeJson(Path file) throws IOException {
            BenchReport.writeJson(this, file);
        }
    }

    /** A job's plain-loop figures: the rate of its best pass, which the Flink path is compared with. */
    public interface LoopFigures {
        /** Passes run (the first warms up the JIT). */
        int rounds();

        /** Events per CPU second of the best pass: what one core can do. */
        double eventsPerCpuSecond();
    }

    /**
     * @param cores               {@code Runtime.availableProcessors()}
     * @param nproc               output of {@code nproc}, null when it could not run
     * @param cpuModel            from {@code /proc/cpuinfo}, null elsewhere
     * @param jvm                 VM name and version
     * @param heapMaxBytes        {@code Runtime.maxMemory()}
     * @param os                  name, version, architecture
     * @param loadAverageBefore   1-minute system load average before the timed run (other processes included)
     * @param loadAverageAfter    the same after the loop
     */
    public record Machine(
            int cores,
            String nproc,
            String cpuModel,
            String jvm,
            long heapMaxBytes,
            String os,
            double loadAverageBefore,
            double loadAverageAfter) {

        /** This machine and JVM now; the load averages are the caller's readings. */
        public static Machine current(double loadAverageBefore, double loadAverageAfter) {
            return new Machine(
                    Runtime.getRuntime().availableProcessors(),
                    readNproc(),
                    readCpuModel(),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                    Runtime.getRuntime().maxMemory(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"),
                    loadAverageBefore,
                    loadAverageAfter);
        }

        /** The 1-minute system load average, -1 where the OS does not tell. */
        public static double loadAverage() {
            return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }

        private static String readNproc() {
            try {
                Process process =
                        new ProcessBuilder("nproc").redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                return process.waitFor() == 0 ? output : null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        private static String readCpuModel() {
            Path cpuinfo = Path.of("/proc/cpuinfo");
            if (!Files.isReadable(cpuinfo)) {
                return null;
            }
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                return lines.filter(line -> line.startsWith("model name"))
                        .map(line -> line.substring(line.indexOf(':') + 1).trim())
                        .findFirst()
                        .orElse(null);
            } catch (IOException | UncheckedIOException e) {
                return null;
            }
        }
    }

    /**
     * @param events          records produced and read
     * @param recordBytes     their total size
     * @param seed            generator seed
     * @param users           generator users (spammers included)
     * @param projects        generator projects
     * @param days            generator days (the run stops at {@code events}, possibly before the last day)
     * @param hotProjectMembers  the generator's extra developers of the hot project (0: none)
     */
    public record Workload(
            long events, long recordBytes, long seed, int users, int projects, int days, int hotProjectMembers) {}

    /**
     * @param partitions          topic partitions
     * @param generateSeconds     generating the events to a JSON-lines file
     * @param produceSeconds      producing the file's records to Kafka, flush included
     * @param produceEventsPerSecond  events / produceSeconds
     */
    public record Produce(
            int partitions, double generateSeconds, double produceSeconds, double produceEventsPerSecond) {}

    /**
     * @param parallelism                     job parallelism
     * @param objectReuse                     whether the job ran with Flink object reuse
     * @param stateBackend                    the keyed state backend (hashmap, or rocksdb with incremental checkpoints)
     * @param wallSeconds                     the job's submission to its result on the bench's running cluster
     * @param jobRuntimeSeconds               Flink's net runtime of the job
     * @param cpuSeconds                      process CPU time from submission to end, all threads (the in-process broker included)
     * @param eventsPerSecond                 events / wallSeconds
     * @param cpuSecondsPerMillionEvents      cpuSeconds per 1,000,000 events
     * @param eventsPerCpuSecond              events / cpuSeconds: events/s per core of CPU actually used
     * @param eventsPerCpuSecondWithoutBroker the same without the in-process broker's threads
     * @param eventsPerCpuSecondWithoutJit    events / (cpuSeconds - the JIT compiler threads' CPU): what a job
     *                                        that has run long enough to be compiled spends (equal to
     *                                        eventsPerCpuSecond where their CPU cannot be read)
     * @param peakHeapBytes                   largest sampled used heap during the run (the broker's included)
     * @param cpuSecondsByThreadGroup         where the CPU went, by thread group
     * @param gcSeconds                       time the collectors report (G1: pauses plus concurrent cycles, elapsed)
     * @param gcCount                         collections during the run
     * @param jitSeconds                      time the JIT compilers report spent compiling
     * @param rowsByDataset                   committed Parquet rows per dataset
     * @param filesByDataset                  committed Parquet part files per dataset
     * @param onlineRows                      rows in the SQLite online tables
     */
    public record FlinkRun(
            int parallelism,
            boolean objectReuse,
            String stateBackend,
            double wallSeconds,
            double jobRuntimeSeconds,
            double cpuSeconds,
            double eventsPerSecond,
            double cpuSecondsPerMillionEvents,
            double eventsPerCpuSecond,
            double eventsPerCpuSecondWithoutBroker,
            double eventsPerCpuSecondWithoutJit,
            long peakHeapBytes,
            Map<String, Double> cpuSecondsByThreadGroup,
            double gcSeconds,
            long gcCount,
            double jitSeconds,
            Map<String, Long> rowsByDataset,
            Map<String, Long> filesByDataset,
            long onlineRows) {}

    /**
     * The job's first round when it ran more than once ({@code --job-rounds}): a fresh JVM, whose JIT
     * compiles Flink, Kafka, Parquet and the job while it runs. The report's counted figures are a
     * later round's, as a job that runs for days sees them.
     *
     * @param flink               the first round's figures
     * @param flinkPerCoreVsLoop  its events per CPU second ÷ the loop's
     */
    public record ColdRound(FlinkRun flink, double flinkPerCoreVsLoop) {}

    /** Writes a report record as indented JSON (field names as in the records). */
    public static void writeJson(Object report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
    }

    /** The lines before the figures: job, events, machine, load, producing. */
    public static void printHeader(
            PrintWriter out, String job, Machine machine, Workload workload, Produce produce, FlinkRun flink) {
        out.println();
        out.printf(
                Locale.ROOT,
                "bench %s: %,d events (%.0f bytes each on average), parallelism %d, %d partitions, %s state backend%n",
                job,
                workload.events(),
                (double) workload.recordBytes() / Math.max(1, workload.events()),
                flink.parallelism(),
                produce.partitions(),
                flink.stateBackend());
        out.printf(
                Locale.ROOT,
                "machine: %d cores (nproc %s), %s, JVM %s, heap max %s, load average %.2f before / %.2f after%n",
                machine.cores(),
                machine.nproc(),
                machine.cpuModel() == null ? "cpu model unknown" : machine.cpuModel(),
                machine.jvm(),
                mib(machine.heapMaxBytes()),
                machine.loadAverageBefore(),
                machine.loadAverageAfter());
        out.println("os: " + machine.os());
        out.printf(
                Locale.ROOT,
                "produce (not timed): generate %.1f s, produce %.1f s = %,.0f events/s%n",
                produce.generateSeconds(),
                produce.produceSeconds(),
                produce.produceEventsPerSecond());
        out.println();
    }

    /**
     * The Flink rows of the figures table ({@link #ROW} format), of the counted round of {@code jobRounds}.
     */
    public static void printFlinkFigures(PrintWriter out, FlinkRun flink, int jobRounds) {
        out.printf(
                Locale.ROOT,
                ROW,
                "Flink path (Kafka -> Parquet + SQLite)",
                jobRounds == 1 ? "1 round" : "best of rounds 2.." + jobRounds);
        out.printf(Locale.ROOT, ROW, "events/s (wall, submission to end)", number(flink.eventsPerSecond()));
        out.printf(
                Locale.ROOT,
                ROW,
                "wall s / job runtime s",
                String.format(Locale.ROOT, "%.1f / %.1f", flink.wallSeconds(), flink.jobRuntimeSeconds()));
        out.printf(
                Locale.ROOT,
                ROW,
                "CPU s per million events",
                String.format(Locale.ROOT, "%.2f", flink.cpuSecondsPerMillionEvents()));
        out.printf(Locale.ROOT, ROW, "events/s per core of CPU used", number(flink.eventsPerCpuSecond()));
        out.printf(
                Locale.ROOT,
                ROW,
                "  the same without the in-process broker",
                number(flink.eventsPerCpuSecondWithoutBroker()));
        out.printf(Locale.ROOT, ROW, "  the same without JIT compiling", number(flink.eventsPerCpuSecondWithoutJit()));
        out.printf(Locale.ROOT, ROW, "peak heap (broker included)", mib(flink.peakHeapBytes()));
    }

    /**
     * The plain loop's rows of the figures table ({@link #ROW} format), the Flink ÷ loop ratio (also
     * without the counted round's JIT compiling: the loop's best pass is a compiled one), and the first
     * round's figures when it is not the counted one ({@code coldRound} not null).
     */
    public static void printLoopFigures(PrintWriter out, FlinkRun flink, LoopFigures loop, ColdRound coldRound) {
        out.printf(Locale.ROOT, ROW, "Plain loop (1 thread, no output)", "");
        out.printf(
                Locale.ROOT,
                ROW,
                "events/s per core (best of " + loop.rounds() + ")",
                number(loop.eventsPerCpuSecond()));
        out.printf(
                Locale.ROOT,
                ROW,
                "Flink per core / loop",
                String.format(Locale.ROOT, "%.2f", flink.eventsPerCpuSecond() / loop.eventsPerCpuSecond()));
        out.printf(
                Locale.ROOT,
                ROW,
                "  the same without JIT compiling",
                String.format(Locale.ROOT, "%.2f", flink.eventsPerCpuSecondWithoutJit() / loop.eventsPerCpuSecond()));
        if (coldRound != null) {
            FlinkRun cold = coldRound.flink();
            out.printf(Locale.ROOT, ROW, "First round (cold JVM, JIT compiling)", "");
            out.printf(
                    Locale.ROOT,
                    ROW,
                    "  wall s / CPU s / JIT s compiling",
                    String.format(
                            Locale.ROOT,
                            "%.1f / %.1f / %.1f",
                            cold.wallSeconds(),
                            cold.cpuSeconds(),
                            cold.jitSeconds()));
            out.printf(Locale.ROOT, ROW, "  events/s per core of CPU used", number(cold.eventsPerCpuSecond()));
            out.printf(
                    Locale.ROOT,
                    ROW,
                    "  Flink per core / loop",
                    String.format(Locale.ROOT, "%.2f", coldRound.flinkPerCoreVsLoop()));
        }
    }

    /** Where the Flink run's CPU went, GC and JIT, part files and rows. */
    public static void printFlinkBreakdown(PrintWriter out, FlinkRun flink) {
        out.println();
        out.println("  Flink CPU by thread group (s):");
        flink.cpuSecondsByThreadGroup()
                .forEach((group, seconds) -> out.printf(Locale.ROOT, "    %8.2f  %s%n", seconds, group));
        out.printf(
                Locale.ROOT,
                "  GC: %d collections, %.1f s reported; JIT: %.1f s compiling%n",
                flink.gcCount(),
                flink.gcSeconds(),
                flink.jitSeconds());
        out.println("  part files: " + flink.filesByDataset());
    }

    /** Format of a figures-table row: label, value. */
    public static final String ROW = "  %-44s %16s%n";

    public static String number(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    public static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
    }
}
