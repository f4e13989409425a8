package io.eventstream.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code eventstream run <job>}: runs one of the feature jobs. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Runs a feature job locally (embedded Flink MiniCluster) on files or a Kafka topic.",
        subcommands = {SpamRunCommand.class, ReviewersRunCommand.class, ArchiveRunCommand.class})
public final class RunCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
