package io.eventstream.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code eventstream online <command>}: looks into the online feature tables the jobs write. */
@Command(
        name = "online",
        mixinStandardHelpOptions = true,
        description = "Reads the online feature tables (SQLite or Redis) the way a serving service does.",
        subcommands = {OnlineDumpCommand.class})
public final class OnlineCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
