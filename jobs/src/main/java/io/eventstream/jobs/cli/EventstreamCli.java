package io.eventstream.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./eventstream} command line. Parsing stays here at the edge; every subcommand turns
 * its options into typed configuration and calls the domain or a job topology.
 */
@Command(
        name = "eventstream",
        mixinStandardHelpOptions = true,
        versionProvider = EventstreamCli.Version.class,
        description = "GitLab product events to ML features: generate, convert, run the Flink jobs, benchmark, read the online tables.",
        subcommands = {
            DemoCommand.class,
            GenerateCommand.class,
            ConvertCommand.class,
            RunCommand.class,
            BenchCommand.class,
            SuggestReviewersCommand.class,
            OnlineCommand.class,
            ServeCommand.class,
            ConsistencyCommand.class,
            CommandLine.HelpCommand.class
        })
public final class EventstreamCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests to run commands in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new EventstreamCli()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = EventstreamCli.class.getPackage().getImplementationVersion();
            return new String[] {"eventstream " + (version == null ? "(development build)" : version)};
        }
    }
}
