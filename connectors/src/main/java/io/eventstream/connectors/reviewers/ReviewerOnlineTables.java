package io.eventstream.connectors.reviewers;

import io.eventstream.connectors.online.OnlineTableSpec;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import java.time.Duration;

/**
 * The specs of the reviewer job's two online tables, shared by the job's sinks and
 * {@link ReviewerCandidateReader} so that writer and reader agree on keys, TTL, version and index.
 */
public final class ReviewerOnlineTables {
    private ReviewerOnlineTables() {}

    /**
     * {@code reviewer_project_user_features}, key (project_id, user_id), indexed by project_id: a
     * serving request reads all users of one project ({@code scanPrefix(List.of(projectId))}).
     */
    public static OnlineTableSpec userTable(ReviewerFeatureSet featureSet) {
        return new OnlineTableSpec(
                        featureSet.onlineUserSchema(),
                        ReviewerFeatureSet.ONLINE_USER_KEY,
                        ttl(featureSet),
                        featureSet.fingerprint())
                .withPrefixIndex(1);
    }

    /**
     * {@code reviewer_project_user_path_features}, key (project_id, user_id, path_prefix); read by
     * full keys only (candidates × the MR's prefixes), so no index.
     */
    public static OnlineTableSpec pathTable(ReviewerFeatureSet featureSet) {
        return new OnlineTableSpec(
                featureSet.onlinePathSchema(),
                ReviewerFeatureSet.ONLINE_PATH_KEY,
                ttl(featureSet),
                featureSet.fingerprint());
    }

    private static Duration ttl(ReviewerFeatureSet featureSet) {
        return Duration.ofMillis(featureSet.config().onlineTtlMillis());
    }
}
