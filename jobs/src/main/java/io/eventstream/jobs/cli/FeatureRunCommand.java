package io.eventstream.jobs.cli;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Mixin;

/**
 * {@code eventstream run <feature job>}, locally (embedded MiniCluster) or under {@code flink run}:
 * from files or Kafka ({@link SourceOptions}); Kafka's credentials and topic are checked before
 * the job is built.
 */
abstract class FeatureRunCommand extends FeatureJobCommand {

    @Mixin
    SourceOptions source;

    @Override
    String sourceProblem() {
        return null;
    }

    @Override
    FeatureJob.Source source(FeatureJob job) {
        return source.jobSource();
    }

    @Override
    boolean prepareSource(FeatureJob job) {
        return source.prepareKafka(job.settings(), System.err);
    }

    @Override
    void configure(StreamExecutionEnvironment env) {}

    @Override
    String title(FeatureJob job) {
        return job.title();
    }
}
