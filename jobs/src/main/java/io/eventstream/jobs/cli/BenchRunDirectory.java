package io.eventstream.jobs.cli;

import io.eventstream.jobs.bench.BenchReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Where a benchmark ({@code bench spam|reviewers|freshness}) runs and what it leaves: a fresh run
 * directory under {@code --work-dir}, deleted afterwards unless {@code --keep}, and the report,
 * printed and with {@code --report} written as JSON.
 */
final class BenchRunDirectory {
    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "Where the run directory (Kafka log, datasets, online tables, generated events) is "
                    + "made (default: the temp directory).")
    Path workDir;

    @Option(names = "--keep", description = "Keep the run directory.")
    boolean keep;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
    Path report;

    /** A benchmark: given its fresh run directory, measures and returns the report. */
    interface Body<R extends BenchReport.Printable> {
        R run(Path runDir) throws Exception;
    }

    /**
     * Makes a fresh run directory {@code bench-<name>-*}, runs the body in it, prints the report
     * (and writes it), deletes the directory unless kept; returns the report.
     */
    <R extends BenchReport.Printable> R run(String name, CommandSpec spec, Body<R> body) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path parent = workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(parent);
        Path run = Files.createTempDirectory(parent.toAbsolutePath(), "bench-" + name + "-");
        try {
            R result = body.run(run);
            result.print(out);
            out.flush();
            if (report != null) {
                result.writeJson(report);
                out.println("report written to " + report);
            }
            return result;
        } finally {
            if (keep) {
                out.println("run directory kept: " + run);
            } else {
                KafkaBenchRun.deleteRecursively(run);
            }
            out.flush();
        }
    }
}
