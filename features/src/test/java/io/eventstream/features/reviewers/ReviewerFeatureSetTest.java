package io.eventstream.features.reviewers;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewerFeatureSetTest {
    private final ReviewerFeatureSet defaults = new ReviewerFeatureSet(ReviewerJobConfig.defaults());

    @Test
    void candidateColumnsFollowTheConfiguredWindows() {
        List<String> names =
                defaults.candidateSchema().columns().stream().map(Column::name).toList();
        assertThat(names.subList(defaults.firstWindowedColumn(), names.size()))
                .containsExactly(
                        "reviews_30d",
                        "reviews_90d",
                        "reviews_365d",
                        "approvals_30d",
                        "approvals_90d",
                        "approvals_365d",
                        "mr_comments_30d",
                        "mr_comments_90d",
                        "mr_comments_365d",
                        "path_commits_90d",
                        "path_commits_365d",
                        "prefix_commits_90d",
                        "prefix_commits_365d",
                        "prefix_reviews_90d",
                        "prefix_reviews_365d",
                        "reviews_of_author_365d",
                        "reviews_by_author_365d");
        assertThat(defaults.candidateSchema().name()).isEqualTo("reviewer_candidates");
        assertThat(defaults.labelSchema().columns())
                .extracting(Column::name)
                .containsExactly("project_id", "mr_iid", "user_id", "label_time", "kind", "label_event_id");
    }

    @Test
    void onlineTablesHaveKeysAnEventTimeAndNoVersionColumn() {
        for (var schema : List.of(defaults.onlineUserSchema(), defaults.onlinePathSchema())) {
            assertThat(schema.timeColumn()).isEqualTo("event_time");
            assertThat(schema.columns()).extracting(Column::name).doesNotContain("feature_set_version");
        }
        assertThat(defaults.onlineUserSchema().name()).isEqualTo("reviewer_project_user_features");
        assertThat(defaults.onlinePathSchema().name()).isEqualTo("reviewer_project_user_path_features");
        for (String key : ReviewerFeatureSet.ONLINE_PATH_KEY) {
            Column column = defaults.onlinePathSchema()
                    .columns()
                    .get(defaults.onlinePathSchema().indexOf(key));
            assertThat(column.nullable()).isFalse();
            assertThat(column.type()).isIn(ColumnType.LONG, ColumnType.STRING);
        }
        assertThat(defaults.onlineUserSchema().columns())
                .extracting(Column::name)
                .containsExactly(
                        "project_id",
                        "user_id",
                        "event_time",
                        "is_member",
                        "access_level",
                        "last_activity_time",
                        "lookback_activity",
                        "open_review_load",
                        "reviews_30d",
                        "reviews_90d",
                        "reviews_365d",
                        "approvals_30d",
                        "approvals_90d",
                        "approvals_365d",
                        "mr_comments_30d",
                        "mr_comments_90d",
                        "mr_comments_365d",
                        "count_tiles");
        assertThat(defaults.onlineUserCountColumns())
                .containsExactly(
                        "lookback_activity",
                        "reviews_30d",
                        "reviews_90d",
                        "reviews_365d",
                        "approvals_30d",
                        "approvals_90d",
                        "approvals_365d",
                        "mr_comments_30d",
                        "mr_comments_90d",
                        "mr_comments_365d");
        assertThat(defaults.onlinePathCountColumns())
                .containsExactly("commits_90d", "commits_365d", "reviews_90d", "reviews_365d");
    }

    @Test
    void theFingerprintFollowsTheDefinitionNotTheFileLayout() {
        ReviewerFeatureSet reordered = new ReviewerFeatureSet(
                ReviewerJobConfig.parse(
                        "windows:\n  365d: {length: 365d, hop: 1d}\n  90d: {length: 90d, hop: 1d}\n  30d: {length: 30d, hop: 1d}\n"));
        assertThat(reordered.fingerprint()).isEqualTo(defaults.fingerprint());
        assertThat(new ReviewerFeatureSet(ReviewerJobConfig.parse("candidates:\n  max: 10\n")).fingerprint())
                .isNotEqualTo(defaults.fingerprint());
        assertThat(defaults.fingerprint()).matches("[0-9a-f]{16}");
        assertThat(defaults.definitionJson())
                .contains("\"feature_set\" : \"reviewers\"")
                .contains("reviewer_labels");
    }
}
