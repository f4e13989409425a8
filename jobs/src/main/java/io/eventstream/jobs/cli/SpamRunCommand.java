package io.eventstream.jobs.cli;

import io.eventstream.connectors.kafka.KafkaClientProperties;
import io.eventstream.features.config.ConfigException;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.jobs.spam.SpamOutputs;
import io.eventstream.jobs.spam.SpamTopology;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code eventstream run spam}: the spam features job, locally (embedded MiniCluster) or under {@code flink run}. */
@Command(
        name = "spam",
        mixinStandardHelpOptions = true,
        description = "Runs the spam features job: CloudEvents to the spam_features, spam_labels, late_events and "
                + "dead_letters datasets and the spam_user_features online table. Locally it runs on an embedded "
                + "Flink MiniCluster; under `flink run` it is submitted to the cluster.")
public final class SpamRunCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Job config YAML (see deploy/config/spam.yaml). Default: built-in defaults.")
    Path config;

    @Mixin
    SourceOptions source;

    @Mixin
    JobOutputOptions output;

    @Override
    public Integer call() throws Exception {
        SpamJobConfig jobConfig;
        byte[] hashKey;
        try {
            jobConfig = config == null ? SpamJobConfig.defaults() : SpamJobConfig.load(config);
            hashKey = jobConfig.resolveHashKey(System.getenv());
        } catch (ConfigException e) {
            System.err.println("eventstream: bad config" + (config == null ? "" : " " + config) + ": " + e.getMessage());
            return 2;
        }
        if (output.deadLetterTopic != null && source.kafkaBootstrap() == null) {
            System.err.println("eventstream: --dead-letter-topic needs --kafka");
            return 2;
        }
        if (!source.prepareKafka(jobConfig, System.err)) {
            return 2;
        }
        output.warnAboutPasswordInOnlineUri(System.err);
        SpamOutputs outputs = outputs(jobConfig, output, source.kafkaBootstrap(), source.kafkaProperties());
        run(jobConfig, hashKey, source, outputs, output.parallelism, output.checkpointDir, output.metricsPort,
                new PrintWriter(System.out, true));
        return 0;
    }

    /**
     * Builds the job on the current environment (the cluster's under {@code flink run}, else an
     * embedded MiniCluster), runs it, and prints what it wrote when it finished.
     */
    static Map<String, org.apache.flink.core.fs.Path> run(SpamJobConfig jobConfig, byte[] hashKey, SourceOptions source, SpamOutputs outputs,
            Integer parallelism, Path checkpointDir, PrintWriter out) throws Exception {
        return run(jobConfig, hashKey, source, outputs, parallelism, checkpointDir, null, out);
    }

    /** As above, with the Prometheus reporter on {@code metricsPort} (embedded runs; null: none). */
    static Map<String, org.apache.flink.core.fs.Path> run(SpamJobConfig jobConfig, byte[] hashKey, SourceOptions source, SpamOutputs outputs,
            Integer parallelism, Path checkpointDir, Integer metricsPort, PrintWriter out) throws Exception {
        StreamExecutionEnvironment env = JobOutputOptions.environment(parallelism, jobConfig.checkpointIntervalMillis(),
                checkpointDir, metricsPort);
        Map<String, org.apache.flink.core.fs.Path> datasets = outputs.attachVersions(
                SpamTopology.define(source.create(env, SpamTopology.watermarks(jobConfig)), jobConfig, hashKey), jobConfig);
        JobSummary.execute(env, "spam features", source.describe(), datasets, outputs.onlineStoreUri(), out);
        return datasets;
    }

    /** Where to write: command-line options override the config file. */
    static SpamOutputs outputs(SpamJobConfig jobConfig, JobOutputOptions output, String kafkaBootstrap) {
        return outputs(jobConfig, output, kafkaBootstrap, KafkaClientProperties.none());
    }

    /** As {@link #outputs(SpamJobConfig, JobOutputOptions, String)}, the dead-letter producer with the source's client settings. */
    static SpamOutputs outputs(SpamJobConfig jobConfig, JobOutputOptions output, String kafkaBootstrap,
            KafkaClientProperties kafkaProperties) {
        String deadLetterTopic = output.deadLetterTopic;
        return new SpamOutputs(output.datasetRoot(jobConfig), output.onlineStore(jobConfig),
                deadLetterTopic == null ? null : kafkaBootstrap, deadLetterTopic, kafkaProperties, output.replace);
    }
}
