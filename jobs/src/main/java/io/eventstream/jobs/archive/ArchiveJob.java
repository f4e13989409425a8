package io.eventstream.jobs.archive;

import io.eventstream.jobs.cli.ArchiveRunCommand;
import picocli.CommandLine;

/**
 * Entry point of the raw event archive job for {@code flink run -c io.eventstream.jobs.archive.ArchiveJob
 * eventstream-jobs.jar --config archive.yaml --kafka ... --topic ... [--root DIR]}. Takes the same
 * options as {@code ./eventstream run archive}.
 */
public final class ArchiveJob {
    private ArchiveJob() {
    }

    public static void main(String[] args) {
        int exit = new CommandLine(new ArchiveRunCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (exit != 0) {
            // No System.exit: under `flink run` that would take the client down with it.
            throw new IllegalStateException("archive job failed to start (exit code " + exit + "); see the message above");
        }
    }
}
