package io.eventstream.jobs.reviewers;

import io.eventstream.connectors.deadletter.DeadLetters;
import io.eventstream.connectors.reviewers.ReviewerOnlineTables;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.jobs.common.JobSinks;
import io.eventstream.jobs.common.LateRows;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the reviewer job writes: Parquet datasets {@code reviewer_candidates}, {@code reviewer_labels},
 * {@code reviewer_late_events} and {@code reviewer_dead_letters} under one root (the prefix keeps
 * them apart from the spam job's when both write to the same root), and the online tables
 * {@code reviewer_project_user_features} and {@code reviewer_project_user_path_features}.
 *
 * @param datasetRoot     root of the datasets: a local directory or a URI ({@code s3://}, {@code hdfs://})
 * @param onlineStoreUri  {@code sqlite:PATH} or {@code redis://HOST:PORT}; both tables go to it
 * @param replaceDatasets a fresh run replaces dataset versions that hold an earlier run's rows
 *                        instead of being refused ({@code --replace}, see {@code docs/datasets.md})
 */
public record ReviewerOutputs(String datasetRoot, String onlineStoreUri, boolean replaceDatasets) {

    /** Outputs with the datasets under a local directory, refusing to rerun into a version. */
    public ReviewerOutputs(Path datasetRoot, String onlineStoreUri) {
        this(datasetRoot.toAbsolutePath().toString(), onlineStoreUri, false);
    }

    /** Name of the reviewer job's late-events dataset. */
    public static final String LATE_EVENTS = "reviewer_" + LateRows.DATASET;
    /** Name of the reviewer job's dead-letters dataset. */
    public static final String DEAD_LETTERS = "reviewer_" + DeadLetters.DATASET;

    /** Attaches every output; returns the version directory of each dataset by name, on its filesystem. */
    public Map<String, org.apache.flink.core.fs.Path> attachVersions(
            ReviewerTopology.Streams streams, ReviewerFeatureSet featureSet) {
        JobSinks sinks = new JobSinks(datasetRoot, replaceDatasets, onlineStoreUri, featureSet.config());
        sinks.featureDataset(
                featureSet.candidateSchema(),
                featureSet.definitionJson(),
                featureSet.fingerprint(),
                streams.candidates());
        sinks.featureDataset(
                featureSet.labelSchema(), featureSet.definitionJson(), featureSet.fingerprint(), streams.labels());
        sinks.plainDataset(LateRows.SCHEMA.renamed(LATE_EVENTS), streams.lateEvents());
        sinks.deadLetters(streams.deadLetters(), DEAD_LETTERS, "reviewer-");
        // The specs the serving reader uses too (ReviewerCandidateReader): same keys, TTL and Redis index.
        sinks.onlineTable(streams.onlineUsers(), ReviewerOnlineTables.userTable(featureSet));
        sinks.onlineTable(streams.onlinePaths(), ReviewerOnlineTables.pathTable(featureSet));
        return sinks.versions();
    }
}
