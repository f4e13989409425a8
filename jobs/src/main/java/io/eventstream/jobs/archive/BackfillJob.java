package io.eventstream.jobs.archive;

import io.eventstream.jobs.cli.BackfillCommand;
import picocli.CommandLine;

/**
 * Entry point of backfills for {@code flink run -c io.eventstream.jobs.archive.BackfillJob
 * eventstream-jobs.jar spam --config spam.yaml --archive ROOT [--from T] [--to T] [--kafka ... --topic ...] --out DIR}.
 * Takes the same arguments as {@code ./eventstream backfill}.
 */
public final class BackfillJob {
    private BackfillJob() {
    }

    public static void main(String[] args) {
        int exit = new CommandLine(new BackfillCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (exit != 0) {
            // No System.exit: under `flink run` that would take the client down with it.
            throw new IllegalStateException("backfill failed to start (exit code " + exit + "); see the message above");
        }
    }
}
