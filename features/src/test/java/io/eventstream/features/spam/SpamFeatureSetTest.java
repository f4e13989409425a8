package io.eventstream.features.spam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import org.junit.jupiter.api.Test;

class SpamFeatureSetTest {
    private static final SpamFeatureSet DEFAULTS = new SpamFeatureSet(SpamJobConfig.defaults());

    @Test
    void defaultColumnsAreTheIssues() {
        assertThat(DEFAULTS.featureSchema().name()).isEqualTo("spam_features");
        assertThat(DEFAULTS.featureSchema().columns())
                .extracting(Column::name)
                .containsExactly(
                        "event_id",
                        "event_time",
                        "user_id",
                        "project_id",
                        "content_type",
                        "noteable_type",
                        "text_length",
                        "title_length",
                        "link_count",
                        "external_link_count",
                        "mention_count",
                        "uppercase_ratio",
                        "has_code_block",
                        "account_age_seconds",
                        "email_domain_class",
                        "email_domain_hash",
                        "member_project_count",
                        "is_project_member",
                        "seconds_since_previous_content_event",
                        "notes_1m",
                        "notes_10m",
                        "notes_1h",
                        "notes_24h",
                        "issues_1h",
                        "issues_24h",
                        "merge_requests_24h",
                        "distinct_projects_1h",
                        "distinct_projects_24h",
                        "links_1h",
                        "content_events_7d",
                        "text_repeat_count_24h",
                        "prior_spam_verdicts_30d");
        assertThat(DEFAULTS.featureSchema().columns().get(1).type()).isEqualTo(ColumnType.TIMESTAMP_MILLIS);
        assertThat(DEFAULTS.featureSchema().columns())
                .allSatisfy(c -> assertThat(c.description()).isNotBlank());
        assertThat(DEFAULTS.featureSchema().columns())
                .filteredOn(Column::nullable)
                .extracting(Column::name)
                .containsExactly(
                        "project_id",
                        "noteable_type",
                        "title_length",
                        "account_age_seconds",
                        "email_domain_hash",
                        "is_project_member",
                        "seconds_since_previous_content_event");
        assertThat(DEFAULTS.featureSchema().columns())
                .filteredOn(Column::nullable)
                .allSatisfy(c -> assertThat(c.description()).contains("Null"));
    }

    @Test
    void onlineAndLabelSchemas() {
        assertThat(DEFAULTS.onlineSchema().name()).isEqualTo("spam_user_features");
        assertThat(DEFAULTS.onlineSchema().columns())
                .extracting(Column::name)
                .containsExactly(
                        "user_id",
                        "event_time",
                        "account_age_seconds",
                        "email_domain_class",
                        "email_domain_hash",
                        "member_project_count",
                        "seconds_since_previous_content_event",
                        "notes_1m",
                        "notes_10m",
                        "notes_1h",
                        "notes_24h",
                        "issues_1h",
                        "issues_24h",
                        "merge_requests_24h",
                        "distinct_projects_1h",
                        "distinct_projects_24h",
                        "links_1h",
                        "content_events_7d",
                        "prior_spam_verdicts_30d");
        assertThat(DEFAULTS.labelSchema().columns())
                .extracting(Column::name)
                .containsExactly(
                        "label_event_id",
                        "label_time",
                        "user_id",
                        "label",
                        "source",
                        "decision",
                        "decided_by",
                        "target_type",
                        "target_id",
                        "target_event_id");
    }

    @Test
    void columnNamesFollowTheConfiguredWindows() {
        SpamFeatureSet custom = new SpamFeatureSet(SpamJobConfig.parse("""
                windows:
                  2h: {length: 2h, hop: 10m}
                  15m: {length: 15m, hop: 1m}
                features: {notes: [2h, 15m], issues: [], merge_requests: [], distinct_projects: [15m], links: [],
                  content_events: [2h], text_repeat_count: [], prior_spam_verdicts: [2h]}
                """));
        assertThat(custom.windowedColumns())
                .extracting(SpamFeatureSet.WindowedColumn::name)
                .containsExactly(
                        "notes_15m",
                        "notes_2h",
                        "distinct_projects_15m",
                        "content_events_2h",
                        "prior_spam_verdicts_2h");
        assertThat(custom.featureSchema()
                        .columns()
                        .get(custom.firstWindowedColumn())
                        .name())
                .isEqualTo("notes_15m");
    }

    @Test
    void definitionIsDeterministicAndTheFingerprintFollowsWhatChangesValues() {
        SpamFeatureSet again = new SpamFeatureSet(SpamJobConfig.defaults());
        assertThat(again.definitionJson()).isEqualTo(DEFAULTS.definitionJson());
        assertThat(again.fingerprint()).isEqualTo(DEFAULTS.fingerprint()).hasSize(16);
        assertThat(DEFAULTS.definitionJson())
                .contains("\"name\" : \"notes_1h\"")
                .contains("\"hop\" : \"5m\"")
                .contains("\"gitlab_host\" : \"gitlab.example.com\"")
                .contains("email-domains/webmail.txt")
                .doesNotContain("\r");

        assertThat(fingerprint("windows:\n  1m: {length: 1m, hop: 5s}\n  10m: {length: 10m, hop: 1m}\n"
                        + "  1h: {length: 1h, hop: 5m}\n  24h: {length: 24h, hop: 1h}\n  7d: {length: 7d, hop: 1d}\n"
                        + "  30d: {length: 30d, hop: 1d}\n"))
                .isNotEqualTo(DEFAULTS.fingerprint());
        assertThat(fingerprint("gitlab:\n  host: git.example.org\n")).isNotEqualTo(DEFAULTS.fingerprint());
        assertThat(fingerprint("state:\n  ttl: 60d\n")).isNotEqualTo(DEFAULTS.fingerprint());
        assertThat(fingerprint("features:\n  links: [1h, 24h]\n")).isNotEqualTo(DEFAULTS.fingerprint());
        // Settings that do not change any value keep the version, and so does the order of the file.
        assertThat(fingerprint("windows:\n  30d: {length: 30d, hop: 1d}\n  7d: {length: 7d, hop: 1d}\n"
                        + "  24h: {length: 24h, hop: 1h}\n  1h: {length: 1h, hop: 5m}\n  10m: {length: 10m, hop: 1m}\n"
                        + "  1m: {length: 1m, hop: 10s}\n"))
                .isEqualTo(DEFAULTS.fingerprint());
        assertThat(fingerprint("dataset:\n  root: /data\n  compression: snappy\ncheckpoint:\n  interval: 1m\n"
                        + "online:\n  backend: redis\nhashing:\n  key_env: OTHER_KEY\n"))
                .isEqualTo(DEFAULTS.fingerprint());
    }

    private static String fingerprint(String yaml) {
        return new SpamFeatureSet(SpamJobConfig.parse(yaml)).fingerprint();
    }
}
