package io.eventstream.jobs.cli;

/**
 * Entry point of the spam features job for {@code flink run -c io.eventstream.jobs.cli.SpamJob
 * eventstream-jobs.jar --config spam.yaml --kafka ... --topic ... --out ...}. Takes the same options
 * as {@code ./eventstream run spam}.
 */
public final class SpamJob {
    private SpamJob() {}

    public static void main(String[] args) {
        FlinkRunEntryPoint.execute(new SpamRunCommand(), "spam job", args);
    }
}
