package io.eventstream.jobs.cli;

/**
 * Entry point of backfills for {@code flink run -c io.eventstream.jobs.cli.BackfillJob
 * eventstream-jobs.jar spam --config spam.yaml --archive ROOT [--from T] [--to T] [--kafka ... --topic ...] --out DIR}.
 * Takes the same arguments as {@code ./eventstream backfill}.
 */
public final class BackfillJob {
    private BackfillJob() {}

    public static void main(String[] args) {
        FlinkRunEntryPoint.execute(new BackfillCommand(), "backfill", args);
    }
}
