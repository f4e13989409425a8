package io.eventstream.jobs.testing;

import io.eventstream.connectors.online.OnlineTableReader;
import io.eventstream.connectors.online.OnlineTableSpec;
import io.eventstream.features.datasets.DatasetSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;

/**
 * Where a finished (or submitted) job run wrote, and its outputs read back independently: datasets
 * with DuckDB ({@link DuckDbDatasets}), SQLite online tables with plain SQL ({@link SqliteOnlineTable}).
 * Job-specific subclasses ({@link SpamJobRun}, {@link ReviewerJobRun}) name the datasets and tables.
 */
public class JobRun {
    private static final String SQLITE = "sqlite:";

    private final Path out;
    private final Map<String, Path> versions;
    private final String onlineUri;
    private final JobExecutionResult result;

    /**
     * @param out        the run's output directory
     * @param versions   the version directory of each dataset, by dataset name
     * @param onlineUri  the online store the run wrote to
     * @param result     the job's result; null for command-line and still running jobs
     */
    public JobRun(Path out, Map<String, Path> versions, String onlineUri, JobExecutionResult result) {
        this.out = out;
        this.versions = Map.copyOf(versions);
        this.onlineUri = onlineUri;
        this.result = result;
    }

    /** The same run, for a subclass that adds readers. */
    protected JobRun(JobRun run) {
        this(run.out, run.versions, run.onlineUri, run.result);
    }

    public Path out() {
        return out;
    }

    public Map<String, Path> versions() {
        return versions;
    }

    public String onlineUri() {
        return onlineUri;
    }

    public JobExecutionResult result() {
        return result;
    }

    /** The version directory of a dataset the run wrote. */
    public Path version(String dataset) {
        Path dir = versions.get(dataset);
        if (dir == null) {
            throw new IllegalArgumentException("no dataset " + dataset + " in " + versions.keySet());
        }
        return dir;
    }

    /** Every row of a dataset, read with DuckDB in schema column order; empty when no part file is visible. */
    public List<Object[]> rows(String dataset, DatasetSchema schema) {
        return DuckDbDatasets.rows(version(dataset), schema);
    }

    /**
     * Every live row of an online table through the store's own reader ({@link OnlineTableReader}),
     * whatever the backend: key columns to column values, {@code feature_set_version} included.
     */
    public Map<List<Object>, Map<String, Object>> scanOnline(OnlineTableSpec table) {
        try (OnlineTableReader reader = OnlineTableReader.open(onlineUri, table)) {
            return reader.scan();
        }
    }

    /** The SQLite file of the online store (fails for other stores). */
    public Path sqliteFile() {
        if (!onlineUri.startsWith(SQLITE)) {
            throw new IllegalStateException("not a SQLite online store: " + onlineUri);
        }
        return Path.of(onlineUri.substring(SQLITE.length()));
    }
}
