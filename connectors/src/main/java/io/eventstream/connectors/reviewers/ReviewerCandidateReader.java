package io.eventstream.connectors.reviewers;

import io.eventstream.connectors.online.OnlineStoreException;
import io.eventstream.connectors.online.OnlineTableReader;
import io.eventstream.connectors.online.OnlineTableSpec;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.reviewers.CandidateFeatures;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.reviewers.ReviewerOnlineCandidates;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Serving-side reader of the reviewer job's online tables: given a project, an MR author and the
 * MR's changed paths, the candidate reviewers with the feature values the tables hold, ranked as
 * the job ranks them ({@link ReviewerOnlineCandidates}). Works on SQLite and Redis alike.
 *
 * <pre>{@code
 * try (ReviewerCandidateReader reader = ReviewerCandidateReader.open("redis://cache:6379/0", config)) {
 *     List<CandidateFeatures> candidates = reader.candidates(7, 42, List.of("src/main/App.java"), Instant.now());
 * }
 * }</pre>
 *
 * <p>Per request: one prefix read of the project's user rows (SQLite: a primary-key search;
 * Redis: the project's index set plus one pipelined round trip of HGETALLs), then the path rows of
 * candidates × prefixes by key (Redis: one pipelined round trip). Rows written under another feature
 * set than the config's fail the request with {@link OnlineStoreException}: their columns or prefix
 * depth may mean something else. Not thread-safe: one reader per thread.
 */
public final class ReviewerCandidateReader implements AutoCloseable {

    private final ReviewerOnlineCandidates rule;
    private final String featureSetVersion;
    private final OnlineTableReader users;
    private final OnlineTableReader paths;

    private ReviewerCandidateReader(ReviewerOnlineCandidates rule, OnlineTableReader users, OnlineTableReader paths) {
        this.rule = rule;
        this.featureSetVersion = rule.featureSet().fingerprint();
        this.users = users;
        this.paths = paths;
    }

    /**
     * Opens both tables in a store.
     *
     * @param storeUri  {@code sqlite:PATH} (the file the job wrote) or {@code redis://…}/{@code rediss://…}
     * @param config    the reviewer job config the tables were written with (windows, prefix depth, max candidates)
     */
    public static ReviewerCandidateReader open(String storeUri, ReviewerJobConfig config) {
        ReviewerFeatureSet featureSet = new ReviewerFeatureSet(config);
        OnlineTableReader users = OnlineTableReader.open(storeUri, ReviewerOnlineTables.userTable(featureSet));
        try {
            OnlineTableReader paths = OnlineTableReader.open(storeUri, ReviewerOnlineTables.pathTable(featureSet));
            return new ReviewerCandidateReader(new ReviewerOnlineCandidates(featureSet), users, paths);
        } catch (RuntimeException e) {
            users.close();
            throw e;
        }
    }

    /** The columns of each candidate's {@link CandidateFeatures#values()}, in order. */
    public List<Column> columns() {
        return rule.columns();
    }

    /**
     * The candidate reviewers for an MR, best first (at most {@code candidates.max}).
     *
     * @param changedPaths  the MR's changed paths, repository-relative with {@code /}
     * @param now           the request time: {@code days_since_last_activity} counts to it
     * @throws OnlineStoreException when the store fails or holds rows of another feature set
     */
    public List<CandidateFeatures> candidates(
            long projectId, long authorId, Collection<String> changedPaths, Instant now) {
        Collection<Map<String, Object>> projectRows =
                checked(users.scanPrefix(List.of(projectId))).values();
        return rule.candidates(
                projectId, authorId, projectRows, keys -> checked(paths.getAll(keys)), changedPaths, now);
    }

    private Map<List<Object>, Map<String, Object>> checked(Map<List<Object>, Map<String, Object>> rows) {
        for (Map<String, Object> row : rows.values()) {
            Object version = row.get(OnlineTableSpec.FEATURE_SET_VERSION);
            if (!featureSetVersion.equals(version)) {
                throw new OnlineStoreException(
                        "online reviewer tables hold rows of feature set " + version + " but the config gives "
                                + featureSetVersion + "; read them with the config the job ran with");
            }
        }
        return rows;
    }

    @Override
    public void close() {
        try {
            users.close();
        } finally {
            paths.close();
        }
    }
}
