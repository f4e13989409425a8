package io.eventstream.connectors.online;

import static io.eventstream.connectors.online.OnlineTestTables.USER_SCHEMA;
import static io.eventstream.connectors.online.OnlineTestTables.USER_SPEC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnlineTableSpecTest {

    @Test
    void keysMustBeNonNullableIntegersOrStrings() {
        assertThatThrownBy(() -> OnlineTableSpec.of(USER_SCHEMA, Duration.ofDays(1), "v1", "account_age_seconds"))
                .hasMessage(
                        "key column user_features.account_age_seconds must be a non-nullable STRING, INT or LONG column");
        assertThatThrownBy(() -> OnlineTableSpec.of(USER_SCHEMA, Duration.ofDays(1), "v1", "event_time"))
                .hasMessageContaining("must be a non-nullable STRING, INT or LONG");
        assertThatThrownBy(() -> OnlineTableSpec.of(USER_SCHEMA, Duration.ofDays(1), "v1"))
                .hasMessageContaining("needs at least one key column");
        assertThatThrownBy(() -> OnlineTableSpec.of(USER_SCHEMA, Duration.ofDays(1), "v1", "user_id", "user_id"))
                .hasMessageContaining("repeats a key column");
        assertThatThrownBy(() -> OnlineTableSpec.of(USER_SCHEMA, Duration.ofDays(1), "v1", "no_such"))
                .hasMessageContaining("no column no_such");
    }

    @Test
    void aPrefixIndexCoversFewerColumnsThanTheKey() {
        assertThat(OnlineTestTables.PATH_SPEC.prefixIndexColumns()).isZero();
        assertThat(OnlineTestTables.PATH_SPEC.withPrefixIndex(2).prefixIndexColumns())
                .isEqualTo(2);
        assertThatThrownBy(() -> OnlineTestTables.PATH_SPEC.withPrefixIndex(3))
                .hasMessage("online table reviewer_paths can index 0 to 2 leading key columns, not 3");
        assertThatThrownBy(() -> userSpecWithIndex())
                .hasMessage("online table user_features can index 0 to 0 leading key columns, not 1");
        assertThatThrownBy(() -> OnlineTestTables.PATH_SPEC.withPrefixIndex(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static OnlineTableSpec userSpecWithIndex() {
        return OnlineTableSpec.of(USER_SCHEMA, Duration.ofDays(1), "v1", "user_id")
                .withPrefixIndex(1);
    }

    @Test
    void ttlVersionAndReservedNamesAreChecked() {
        assertThatThrownBy(() -> OnlineTableSpec.of(USER_SCHEMA, Duration.ZERO, "v1", "user_id"))
                .hasMessageContaining("ttl of online table user_features must be at least 1 ms");
        assertThatThrownBy(() -> OnlineTableSpec.of(USER_SCHEMA, Duration.ofDays(1), " ", "user_id"))
                .hasMessageContaining("needs a feature-set version");
        DatasetSchema reserved = new DatasetSchema(
                "t",
                List.of(
                        Column.required("id", ColumnType.LONG, "id"),
                        Column.required("event_time", ColumnType.TIMESTAMP_MILLIS, "t"),
                        Column.required("expires_at", ColumnType.LONG, "clash")),
                "event_time");
        assertThatThrownBy(() -> OnlineTableSpec.of(reserved, Duration.ofDays(1), "v1", "id"))
                .hasMessage("column name expires_at is reserved in online tables");
    }

    @Test
    void rowsWithNaNOrWrongTypesAreRejectedWithoutTheirValues() {
        assertThatThrownBy(() -> USER_SPEC.checkRow(new Object[] {1L, 1L, 1, null, Double.NaN, null, null, null}))
                .hasMessage("row rejected by online table user_features.uppercase_ratio is NaN; "
                        + "write null for an undefined value");
        assertThatThrownBy(() -> USER_SPEC.checkRow(new Object[] {1L, null, 1, null, null, null, null, null}))
                .hasMessage("row rejected by online table user_features.event_time is null but not nullable");
        assertThatThrownBy(() -> USER_SPEC.checkRow(new Object[] {1L, 1L, "secret text", null, null, null, null, null}))
                .hasMessageNotContaining("secret text");
    }

    @Test
    void aSpecSurvivesJavaSerializationAsFlinkShipsIt() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(OnlineTestTables.PATH_SPEC);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(OnlineTestTables.PATH_SPEC);
        }
        assertThat(OnlineTestTables.PATH_SPEC.keyOf(new Object[] {7L, 42, "src", 1L, 2L, null}))
                .containsExactly(7L, 42, "src");
    }
}
