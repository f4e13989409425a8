package io.eventstream.serving;

import java.util.Map;

/**
 * Where the endpoint records what it served, for the consistency report: one record per answer
 * (per candidate for reviewer answers). Implementations must be thread-safe.
 */
public interface ServedLog extends AutoCloseable {

    /**
     * @param endpoint           {@code spam_user} or {@code reviewer_candidates}
     * @param entity             the entity's key: the user id; {@code project:author:candidate} for candidates
     * @param requestTimeMillis  the request time the values are as of
     * @param values             the served values by column name
     * @param featureSetVersion  the feature set the values were computed under
     */
    void served(
            String endpoint,
            String entity,
            long requestTimeMillis,
            Map<String, Object> values,
            String featureSetVersion);

    /** Writes out what is buffered and releases the log. */
    @Override
    void close();
}
