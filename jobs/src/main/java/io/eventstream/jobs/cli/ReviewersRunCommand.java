package io.eventstream.jobs.cli;

import io.eventstream.features.config.ConfigException;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.jobs.reviewers.ReviewerOutputs;
import io.eventstream.jobs.reviewers.ReviewerTopology;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code eventstream run reviewers}: the reviewer-recommendation features job. */
@Command(
        name = "reviewers",
        mixinStandardHelpOptions = true,
        description = "Runs the reviewer-recommendation features job: CloudEvents to the reviewer_candidates and "
                + "reviewer_labels datasets and the reviewer_project_user_features / "
                + "reviewer_project_user_path_features online tables. Locally it runs on an embedded Flink "
                + "MiniCluster; under `flink run` it is submitted to the cluster.")
public final class ReviewersRunCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Job config YAML (see deploy/config/reviewers.yaml). Default: built-in defaults.")
    Path config;

    @Mixin
    SourceOptions source;

    @Mixin
    JobOutputOptions output;

    @Override
    public Integer call() throws Exception {
        ReviewerJobConfig jobConfig;
        try {
            jobConfig = config == null ? ReviewerJobConfig.defaults() : ReviewerJobConfig.load(config);
        } catch (ConfigException e) {
            System.err.println("eventstream: bad config" + (config == null ? "" : " " + config) + ": " + e.getMessage());
            return 2;
        }
        if (output.deadLetterTopic != null) {
            System.err.println("eventstream: the reviewer job writes dead letters to its reviewer_dead_letters dataset only");
            return 2;
        }
        if (!source.prepareKafka(jobConfig, System.err)) {
            return 2;
        }
        output.warnAboutPasswordInOnlineUri(System.err);
        run(jobConfig, source, outputs(jobConfig, output), output.parallelism, output.checkpointDir, output.metricsPort,
                new PrintWriter(System.out, true));
        return 0;
    }

    static Map<String, org.apache.flink.core.fs.Path> run(ReviewerJobConfig jobConfig, SourceOptions source, ReviewerOutputs outputs,
            Integer parallelism, Path checkpointDir, PrintWriter out) throws Exception {
        return run(jobConfig, source, outputs, parallelism, checkpointDir, null, out);
    }

    /** As above, with the Prometheus reporter on {@code metricsPort} (embedded runs; null: none). */
    static Map<String, org.apache.flink.core.fs.Path> run(ReviewerJobConfig jobConfig, SourceOptions source, ReviewerOutputs outputs,
            Integer parallelism, Path checkpointDir, Integer metricsPort, PrintWriter out) throws Exception {
        StreamExecutionEnvironment env = JobOutputOptions.environment(parallelism, jobConfig.checkpointIntervalMillis(),
                checkpointDir, metricsPort);
        Map<String, org.apache.flink.core.fs.Path> datasets = outputs.attachVersions(
                ReviewerTopology.define(source.create(env, ReviewerTopology.watermarks(jobConfig)), jobConfig), jobConfig);
        JobSummary.execute(env, "reviewer features", source.describe(), datasets, outputs.onlineStoreUri(), out);
        return datasets;
    }

    /** Where to write: command-line options override the config file. */
    static ReviewerOutputs outputs(ReviewerJobConfig jobConfig, JobOutputOptions output) {
        return new ReviewerOutputs(output.datasetRoot(jobConfig), output.onlineStore(jobConfig), output.replace);
    }
}
