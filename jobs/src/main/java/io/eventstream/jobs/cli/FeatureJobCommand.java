package io.eventstream.jobs.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What {@code run <feature job>} ({@link FeatureRunCommand}) and {@code backfill <feature job>}
 * ({@link BackfillCommand.FeatureBackfill}) share: the job's config, the outputs, the checks in
 * order (config, source options, output options, source) and the run ({@link FeatureJob#run}). They
 * differ only in their source; each job's command only names its job ({@link #load}).
 */
abstract class FeatureJobCommand implements Callable<Integer> {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Job config YAML (see deploy/config/${COMMAND-NAME}.yaml). Default: built-in defaults.")
    Path config;

    @Mixin
    JobOutputOptions output;

    /** The job with the config of {@code file} (null: the defaults). */
    abstract FeatureJob load(Path file);

    /** What is wrong with the source options alone, or null. */
    abstract String sourceProblem();

    /** Where the job reads. */
    abstract FeatureJob.Source source(FeatureJob job);

    /** Readies the source for the job (e.g. checks Kafka); false after printing why not (exit 2). */
    abstract boolean prepareSource(FeatureJob job);

    /** How the environment executes the job (a backfill's batch mode). */
    abstract void configure(StreamExecutionEnvironment env);

    /** The job's name in the summary. */
    abstract String title(FeatureJob job);

    @Override
    public Integer call() throws Exception {
        FeatureJob job = ConfigFile.load(config, this::load, System.err::println);
        if (job == null) {
            return 2;
        }
        String problem = sourceProblem();
        if (problem == null) {
            problem = job.outputProblem(output, source(job));
        }
        if (problem != null) {
            System.err.println("eventstream: " + problem);
            return 2;
        }
        if (!prepareSource(job)) {
            return 2;
        }
        output.warnAboutPasswordInOnlineUri(System.err);
        FeatureJob.run(job, source(job), output, this::configure, title(job), new PrintWriter(System.out, true));
        return 0;
    }
}
