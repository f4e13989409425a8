package io.eventstream.jobs.testing;

import io.eventstream.connectors.deadletter.DeadLetters;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.common.LateRows;
import java.util.List;

/** A run of the spam job ({@link SpamTestData#JOB}): its datasets and SQLite online table, read back independently. */
public final class SpamJobRun extends JobRun {

    public SpamJobRun(JobRun run) {
        super(run);
    }

    public List<Object[]> features() {
        return rows(SpamFeatureSet.FEATURES_DATASET, SpamTestData.FEATURE_SET.featureSchema());
    }

    public List<Object[]> labels() {
        return rows(SpamLabels.DATASET, SpamLabels.SCHEMA);
    }

    public List<Object[]> lateEvents() {
        return rows(LateRows.DATASET, LateRows.SCHEMA);
    }

    public List<Object[]> deadLetters() {
        return rows(DeadLetters.DATASET, DeadLetters.schema());
    }

    /** The SQLite online table {@code spam_user_features} by user id (fails for other stores). */
    public SqliteOnlineTable.Content<Long> online() {
        return SqliteOnlineTable.read(sqliteFile(), SpamTestData.FEATURE_SET.onlineSchema(), "user_id");
    }
}
