package io.eventstream.jobs.cli;

import io.eventstream.features.config.ConfigException;
import io.eventstream.features.config.OnlineBackend;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.jobs.spam.SpamOutputs;
import io.eventstream.jobs.spam.SpamTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code eventstream run spam}: the spam features job, locally (embedded MiniCluster) or under {@code flink run}. */
@Command(
        name = "spam",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the spam features job: CloudEvents to the spam_features / spam_labels datasets and the",
            "spam_user_features online table. Locally it runs on an embedded Flink MiniCluster; under",
            "`flink run` it is submitted to the cluster."
        })
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
        String yaml;
        SpamJobConfig jobConfig;
        byte[] hashKey;
        try {
            yaml = config == null ? "" : Files.readString(config);
            jobConfig = SpamJobConfig.parse(yaml);
            hashKey = jobConfig.resolveHashKey(System.getenv());
        } catch (ConfigException | IOException e) {
            System.err.println("eventstream: bad config" + (config == null ? "" : " " + config) + ": " + e.getMessage());
            return 2;
        }
        SpamOutputs outputs = outputs(jobConfig);
        StreamExecutionEnvironment env = output.environment(jobConfig.checkpointIntervalMillis());
        Map<String, Path> datasets = outputs.attach(
                SpamTopology.define(source.create(env, SpamTopology.watermarks(jobConfig)), jobConfig, hashKey), jobConfig);
        System.err.println("eventstream: spam job reading " + source.describe() + ", writing " + datasets.values()
                + " and online table " + outputs.onlineStoreUri());
        JobExecutionResult result = env.execute("eventstream spam features");
        if (result.isJobExecutionResult()) {
            System.err.println("eventstream: spam job finished in " + result.getNetRuntime() + " ms");
            JobSummary.print(System.out, datasets, outputs.onlineStoreUri());
        }
        return 0;
    }

    private SpamOutputs outputs(SpamJobConfig jobConfig) {
        Path root = output.out != null ? output.out : Path.of(jobConfig.datasetRoot());
        String online = output.online;
        if (online == null) {
            online = jobConfig.onlineBackend() == OnlineBackend.REDIS
                    ? jobConfig.onlineRedisUrl()
                    : "sqlite:" + (output.out != null
                            ? output.out.resolve("online/spam_user_features.sqlite")
                            : Path.of(jobConfig.onlineSqlitePath()));
        }
        String deadLetterTopic = output.deadLetterTopic;
        return new SpamOutputs(root, online, deadLetterTopic == null ? null : source.kafkaBootstrap(), deadLetterTopic);
    }
}
