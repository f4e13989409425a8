package io.eventstream.connectors.metrics;

import org.apache.flink.metrics.MetricGroup;

/**
 * The metric group every dataset metric hangs off: a {@code dataset} key/value group, which Flink's
 * Prometheus reporter turns into a {@code dataset="<name>"} label (and {@code dataset} in the metric
 * name: {@code flink_taskmanager_job_task_operator_dataset_rowsWritten{dataset="spam_features"}}).
 */
public final class DatasetMetricNames {

    private DatasetMetricNames() {}

    public static MetricGroup datasetGroup(MetricGroup operatorGroup, String dataset) {
        return operatorGroup.addGroup("dataset", dataset);
    }

    /**
     * The dataset name of a version directory {@code <root>/<dataset>/v<N>} (a local path or a URI
     * such as {@code s3://bucket/root/spam_features/v1}).
     */
    public static String datasetOfVersionDir(String versionDir) {
        String trimmed = versionDir.replaceAll("[/\\\\]+$", "");
        String[] parts = trimmed.split("[/\\\\]+");
        if (parts.length < 2) {
            throw new IllegalArgumentException("not a dataset version directory <root>/<dataset>/v<N>: " + versionDir);
        }
        return parts[parts.length - 2];
    }
}
