package io.eventstream.jobs.cli;

import io.eventstream.connectors.kafka.KafkaClientProperties;
import io.eventstream.features.config.JobSettings;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.jobs.common.JobEnvironment;
import io.eventstream.jobs.common.RawEventSource;
import io.eventstream.jobs.reviewers.ReviewerOutputs;
import io.eventstream.jobs.reviewers.ReviewerTopology;
import io.eventstream.jobs.spam.SpamOutputs;
import io.eventstream.jobs.spam.SpamTopology;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A feature job as {@code run <job>}, {@code backfill <job>} and {@code demo} start it: its loaded
 * config, what it refuses of the output options, and its workflow ({@code defineWorkflow}) into the
 * outputs those options name. The commands differ only in their source and in how the environment
 * executes; {@link #run} is the rest, the same for every job and command.
 */
sealed interface FeatureJob permits FeatureJob.Spam, FeatureJob.Reviewers {

    /** The job's name on the command line ({@code run <name>}, {@code bench <name>}), e.g. {@code spam}. */
    String name();

    /** What the job is called in its summary, e.g. {@code spam features}. */
    String title();

    JobSettings settings();

    /** Why the job cannot write where {@code output} says when it reads {@code source}, or null. */
    String outputProblem(JobOutputOptions output, Source source);

    /** The job's workflow over the source into the outputs {@code output} names; returns the datasets' versions. */
    Map<String, org.apache.flink.core.fs.Path> defineWorkflow(
            StreamExecutionEnvironment env, Source source, JobOutputOptions output);

    /**
     * The job's workflow over {@code events} into its datasets under {@code datasetRoot} and its
     * online tables in {@code onlineStoreUri}, without the output options (no dead-letter topic, no
     * rerun into a version): what the benchmarks run. Returns the datasets' versions.
     */
    Map<String, org.apache.flink.core.fs.Path> defineWorkflow(
            StreamExecutionEnvironment env, RawEventSource events, String datasetRoot, String onlineStoreUri);

    /**
     * Where a command's job reads: the raw events, how the summary names them, and the Kafka cluster
     * it reads (null for none) with its client settings, where the spam job's dead-letter topic goes.
     */
    record Source(
            RawEventSource events, String description, String kafkaBootstrap, KafkaClientProperties kafkaProperties) {}

    /**
     * Builds the job in the environment of every run ({@link JobEnvironment}: the cluster's under
     * {@code flink run}, else an embedded MiniCluster) with the output options' parallelism,
     * checkpoint directory and metrics port, lets {@code execution} set how it executes (a backfill's
     * batch mode), runs it and prints what it wrote when it ends.
     */
    static Map<String, org.apache.flink.core.fs.Path> run(
            FeatureJob job,
            Source source,
            JobOutputOptions output,
            Consumer<StreamExecutionEnvironment> execution,
            String title,
            PrintWriter out)
            throws Exception {
        StreamExecutionEnvironment env =
                output.execution.environment(job.settings().checkpointIntervalMillis());
        execution.accept(env);
        Map<String, org.apache.flink.core.fs.Path> datasets = job.defineWorkflow(env, source, output);
        JobSummary.execute(env, title, source.description(), datasets, output.onlineStore(job.settings()), out);
        return datasets;
    }

    /** The spam features job, with the email-domain hash key its config names. */
    record Spam(SpamJobConfig config, byte[] hashKey) implements FeatureJob {
        private static final String SYNTHETIC_EVENTS_HASH_KEY = "eventstream-bench-hash-key";

        /** The config of {@code file} (null: the defaults) and the key from the environment it names. */
        static Spam load(Path file) {
            SpamJobConfig config = loadConfig(file);
            return new Spam(config, config.resolveHashKey(System.getenv()));
        }

        /**
         * The job on synthetic events (the benchmarks'): the config of {@code file} (null: the
         * defaults), the key from the environment it names or, where that is not set, a fixed one,
         * as nothing personal is hashed.
         */
        static Spam loadForSyntheticEvents(Path file) {
            SpamJobConfig config = loadConfig(file);
            Map<String, String> environment = new HashMap<>(System.getenv());
            environment.putIfAbsent(config.hashKeyEnv(), SYNTHETIC_EVENTS_HASH_KEY);
            return new Spam(config, config.resolveHashKey(environment));
        }

        private static SpamJobConfig loadConfig(Path file) {
            return file == null ? SpamJobConfig.defaults() : SpamJobConfig.load(file);
        }

        @Override
        public String name() {
            return "spam";
        }

        @Override
        public String title() {
            return "spam features";
        }

        @Override
        public JobSettings settings() {
            return config;
        }

        @Override
        public String outputProblem(JobOutputOptions output, Source source) {
            return output.deadLetterTopic != null && source.kafkaBootstrap() == null
                    ? "--dead-letter-topic needs --kafka"
                    : null;
        }

        @Override
        public Map<String, org.apache.flink.core.fs.Path> defineWorkflow(
                StreamExecutionEnvironment env, Source source, JobOutputOptions output) {
            return SpamTopology.defineWorkflow(
                    env, source.events(), new SpamFeatureSet(config), hashKey, outputs(output, source));
        }

        @Override
        public Map<String, org.apache.flink.core.fs.Path> defineWorkflow(
                StreamExecutionEnvironment env, RawEventSource events, String datasetRoot, String onlineStoreUri) {
            return SpamTopology.defineWorkflow(
                    env,
                    events,
                    new SpamFeatureSet(config),
                    hashKey,
                    new SpamOutputs(datasetRoot, onlineStoreUri, null, null, false));
        }

        /** Where to write: command-line options over the config file; dead letters to the source's Kafka. */
        SpamOutputs outputs(JobOutputOptions output, Source source) {
            String deadLetterTopic = output.deadLetterTopic;
            return new SpamOutputs(
                    output.datasetRoot(config),
                    output.onlineStore(config),
                    deadLetterTopic == null ? null : source.kafkaBootstrap(),
                    deadLetterTopic,
                    source.kafkaProperties(),
                    output.replace);
        }
    }

    /** The reviewer-recommendation features job. */
    record Reviewers(ReviewerJobConfig config) implements FeatureJob {

        /** The config of {@code file} (null: the defaults). */
        static Reviewers load(Path file) {
            return new Reviewers(file == null ? ReviewerJobConfig.defaults() : ReviewerJobConfig.load(file));
        }

        @Override
        public String name() {
            return "reviewers";
        }

        @Override
        public String title() {
            return "reviewer features";
        }

        @Override
        public JobSettings settings() {
            return config;
        }

        @Override
        public String outputProblem(JobOutputOptions output, Source source) {
            return output.deadLetterTopic != null
                    ? "the reviewer job writes dead letters to its reviewer_dead_letters dataset only"
                    : null;
        }

        @Override
        public Map<String, org.apache.flink.core.fs.Path> defineWorkflow(
                StreamExecutionEnvironment env, Source source, JobOutputOptions output) {
            return ReviewerTopology.defineWorkflow(
                    env,
                    source.events(),
                    new ReviewerFeatureSet(config),
                    new ReviewerOutputs(output.datasetRoot(config), output.onlineStore(config), output.replace));
        }

        @Override
        public Map<String, org.apache.flink.core.fs.Path> defineWorkflow(
                StreamExecutionEnvironment env, RawEventSource events, String datasetRoot, String onlineStoreUri) {
            return ReviewerTopology.defineWorkflow(
                    env,
                    events,
                    new ReviewerFeatureSet(config),
                    new ReviewerOutputs(datasetRoot, onlineStoreUri, false));
        }
    }
}
