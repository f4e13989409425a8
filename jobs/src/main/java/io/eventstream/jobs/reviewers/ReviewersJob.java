package io.eventstream.jobs.reviewers;

import io.eventstream.jobs.cli.ReviewersRunCommand;
import picocli.CommandLine;

/**
 * Entry point of the reviewer-recommendation features job for {@code flink run -c
 * io.eventstream.jobs.reviewers.ReviewersJob eventstream-jobs.jar --config reviewers.yaml ...}.
 * Takes the same options as {@code ./eventstream run reviewers}.
 */
public final class ReviewersJob {
    private ReviewersJob() {
    }

    public static void main(String[] args) {
        int exit = new CommandLine(new ReviewersRunCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (exit != 0) {
            // No System.exit: under `flink run` that would take the client down with it.
            throw new IllegalStateException("reviewer job failed to start (exit code " + exit + "); see the message above");
        }
    }
}
