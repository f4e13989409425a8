package io.eventstream.jobs.cli;

import picocli.CommandLine;

/** What the {@code flink run} entry points share: their command's parsing, and failing without exiting. */
final class FlinkRunEntryPoint {
    private FlinkRunEntryPoint() {}

    /** Runs {@code command} on {@code args}; {@code what} names it in the failure ("spam job"). */
    static void execute(Object command, String what, String[] args) {
        int exit = new CommandLine(command)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
        if (exit != 0) {
            // No System.exit: under `flink run` that would take the client down with it.
            throw new IllegalStateException(what + " failed to start (exit code " + exit + "); see the message above");
        }
    }
}
