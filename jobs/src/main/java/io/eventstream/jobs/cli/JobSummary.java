package io.eventstream.jobs.cli;

import io.eventstream.connectors.online.OnlineStores;
import io.eventstream.connectors.parquet.DatasetStats;
import java.io.PrintWriter;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs a built job and says what it wrote: rows per dataset (from the Parquet footers) and where. */
final class JobSummary {
    private JobSummary() {}

    /**
     * Executes the job on its environment; when it ran to the end here (not detached under
     * {@code flink run -d}), prints the rows per dataset.
     */
    static void execute(
            StreamExecutionEnvironment env,
            String jobName,
            String sourceDescription,
            Map<String, Path> datasets,
            String onlineStore,
            PrintWriter out)
            throws Exception {
        System.err.println("eventstream: " + jobName + " reading " + sourceDescription + ", writing "
                + datasets.values() + " and online tables in " + OnlineStores.redact(onlineStore));
        JobExecutionResult result = env.execute("eventstream " + jobName);
        if (result.isJobExecutionResult()) {
            System.err.println("eventstream: " + jobName + " finished in " + result.getNetRuntime() + " ms");
            print(out, datasets, onlineStore);
        }
    }

    /** Local version directories as Flink paths, for {@link #execute} and {@link #print}. */
    static Map<String, Path> localVersions(Map<String, java.nio.file.Path> dirs) {
        Map<String, Path> versions = new java.util.LinkedHashMap<>();
        dirs.forEach((name, dir) -> versions.put(name, Path.fromLocalFile(dir.toFile())));
        return versions;
    }

    static void print(PrintWriter out, Map<String, Path> datasets, String onlineStore) {
        out.println("datasets:");
        datasets.forEach((name, dir) -> out.printf(
                "  %-24s %,12d rows  %s%n",
                name,
                DatasetStats.rowCount(dir),
                "file".equals(dir.toUri().getScheme()) ? dir.toUri().getPath() : dir));
        out.println("online tables: " + OnlineStores.redact(onlineStore));
        out.flush();
    }
}
