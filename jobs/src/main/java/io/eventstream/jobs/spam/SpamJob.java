package io.eventstream.jobs.spam;

import io.eventstream.jobs.cli.SpamRunCommand;
import picocli.CommandLine;

/**
 * Entry point of the spam features job for {@code flink run -c io.eventstream.jobs.spam.SpamJob
 * eventstream-jobs.jar --config spam.yaml --kafka ... --topic ... --out ...}. Takes the same options
 * as {@code ./eventstream run spam}.
 */
public final class SpamJob {
    private SpamJob() {
    }

    public static void main(String[] args) {
        int exit = new CommandLine(new SpamRunCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (exit != 0) {
            // No System.exit: under `flink run` that would take the client down with it.
            throw new IllegalStateException("spam job failed to start (exit code " + exit + "); see the message above");
        }
    }
}
