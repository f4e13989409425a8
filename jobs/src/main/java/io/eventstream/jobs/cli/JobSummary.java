package io.eventstream.jobs.cli;

import io.eventstream.connectors.parquet.DatasetStats;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/** What a finished run wrote: rows per dataset (from the Parquet footers) and where. */
final class JobSummary {
    private JobSummary() {
    }

    static void print(PrintWriter out, Map<String, Path> datasets, String onlineStore) {
        out.println("datasets:");
        datasets.forEach((name, dir) -> out.printf("  %-20s %,12d rows  %s%n", name, DatasetStats.rowCount(dir), dir));
        out.println("online table store: " + onlineStore);
        out.flush();
    }
}
