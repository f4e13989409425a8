package io.eventstream.jobs.cli;

/**
 * Entry point of the raw event archive job for {@code flink run -c io.eventstream.jobs.cli.ArchiveJob
 * eventstream-jobs.jar --config archive.yaml --kafka ... --topic ... [--root DIR]}. Takes the same
 * options as {@code ./eventstream run archive}.
 */
public final class ArchiveJob {
    private ArchiveJob() {}

    public static void main(String[] args) {
        FlinkRunEntryPoint.execute(new ArchiveRunCommand(), "archive job", args);
    }
}
