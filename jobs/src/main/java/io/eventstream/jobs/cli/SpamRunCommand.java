package io.eventstream.jobs.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;

/** {@code eventstream run spam}: the spam features job, locally (embedded MiniCluster) or under {@code flink run}. */
@Command(
        name = "spam",
        mixinStandardHelpOptions = true,
        description = "Runs the spam features job: CloudEvents to the spam_features, spam_labels, late_events and "
                + "dead_letters datasets and the spam_user_features online table. Locally it runs on an embedded "
                + "Flink MiniCluster; under `flink run` it is submitted to the cluster.")
public final class SpamRunCommand extends FeatureRunCommand {

    @Override
    FeatureJob load(Path file) {
        return FeatureJob.Spam.load(file);
    }
}
