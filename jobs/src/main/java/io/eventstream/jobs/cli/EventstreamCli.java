package io.eventstream.jobs.cli;

import org.apache.flink.util.SerializedThrowable;
import org.slf4j.LoggerFactory;
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
        description =
                "GitLab product events to ML features: generate, convert, run the Flink jobs, benchmark, read the online tables.",
        subcommands = {
            DemoCommand.class,
            GenerateCommand.class,
            ConvertCommand.class,
            GatewayCommand.class,
            RunCommand.class,
            BenchCommand.class,
            SuggestReviewersCommand.class,
            OnlineCommand.class,
            ArchiveCommand.class,
            BackfillCommand.class,
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
        return new CommandLine(new EventstreamCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(EventstreamCli::failed);
    }

    /**
     * A command that failed (typically a job run: Flink wraps the cause in several layers) ends
     * with one line on stderr saying why, and exit status 1; the stack trace goes to the DEBUG log.
     */
    private static int failed(Exception failure, CommandLine command, CommandLine.ParseResult parsed) {
        LoggerFactory.getLogger(EventstreamCli.class).debug("{} failed", command.getCommandName(), failure);
        command.getErr().println("eventstream " + command.getCommandName() + ": failed: " + reason(failure));
        command.getErr().flush();
        return 1;
    }

    /**
     * The most telling message in a cause chain: the first of the project's own exceptions (their
     * messages are written for users and carry no secrets), else the root cause.
     */
    static String reason(Throwable failure) {
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // A cause Flink could not deserialize stays a SerializedThrowable that knows its class.
            String className = t instanceof SerializedThrowable serialized
                    ? serialized.getOriginalErrorClassName()
                    : t.getClass().getName();
            if (className.startsWith("io.eventstream.")) {
                // A SerializedThrowable's message is the original's toString(): "class: message".
                String message = String.valueOf(t.getMessage());
                return message.startsWith(className + ": ") ? message.substring(className.length() + 2) : message;
            }
            root = t;
            if (t.getCause() == t) {
                break;
            }
        }
        return root.getMessage() == null
                ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = EventstreamCli.class.getPackage().getImplementationVersion();
            return new String[] {"eventstream " + (version == null ? "(development build)" : version)};
        }
    }
}
