package io.eventstream.connectors.spam;

import io.eventstream.connectors.online.OnlineStoreException;
import io.eventstream.connectors.online.OnlineTableReader;
import io.eventstream.connectors.online.OnlineTableSpec;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.spam.SpamFeatureEngine;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.features.spam.SpamUserState;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serving-side reader of the spam job's {@code spam_user_state} table: a user's features as of a
 * request time, optionally with the content event being posted, computed by the job's own
 * {@link SpamFeatureEngine} from the stored state. Works on SQLite and Redis alike.
 *
 * <pre>{@code
 * try (SpamOnlineReader reader = SpamOnlineReader.open("redis://cache:6379/0", config)) {
 *     Map<String, Object> now = reader.asOf(42, System.currentTimeMillis());   // user-level values
 *     Map<String, Object> row = reader.asOf(pendingNote);                        // the spam_features row
 * }
 * }</pre>
 *
 * <p>One key read per request. A user without a live row reads as a user without events (every
 * documented default). Rows of another feature set than the config's fail with
 * {@link OnlineStoreException}: their tiles may mean other windows. Not thread-safe: one reader per
 * thread.
 */
public final class SpamOnlineReader implements AutoCloseable {

    private final SpamFeatureEngine engine;
    private final String featureSetVersion;
    private final OnlineTableReader table;
    private final List<Column> userColumns;
    private final DatasetSchema featureSchema;

    private SpamOnlineReader(SpamFeatureEngine engine, OnlineTableReader table) {
        this.engine = engine;
        this.featureSetVersion = engine.featureSet().fingerprint();
        this.table = table;
        this.userColumns = engine.featureSet().onlineSchema().columns();
        this.featureSchema = engine.featureSet().featureSchema();
    }

    /**
     * Opens the table in a store.
     *
     * @param storeUri {@code sqlite:PATH} (the file the job wrote) or {@code redis://…}/{@code rediss://…}
     * @param config   the spam job config the table was written with
     */
    public static SpamOnlineReader open(String storeUri, SpamJobConfig config) {
        SpamFeatureEngine engine = new SpamFeatureEngine(new SpamFeatureSet(config));
        return new SpamOnlineReader(engine, OnlineTableReader.open(storeUri, stateTable(engine.featureSet())));
    }

    /** The online table {@code spam_user_state} (what the job writes and readers open), keyed by user_id. */
    public static OnlineTableSpec stateTable(SpamFeatureSet featureSet) {
        return OnlineTableSpec.of(
                featureSet.stateSchema(),
                Duration.ofMillis(featureSet.config().onlineTtlMillis()),
                featureSet.fingerprint(),
                "user_id");
    }

    /** The feature-set version (fingerprint) every answer is computed under. */
    public String featureSetVersion() {
        return featureSetVersion;
    }

    public SpamFeatureSet featureSet() {
        return engine.featureSet();
    }

    /** The columns of {@link #asOf(long, long)} answers: those of {@code spam_user_features}. */
    public List<Column> userColumns() {
        return userColumns;
    }

    /**
     * The user's values as of {@code requestTimeMillis} without a content event: the columns of
     * {@code spam_user_features} ({@code event_time} is the request time), by name.
     *
     * @throws IllegalArgumentException when the request time is before the user's last event
     * @throws OnlineStoreException     when the store fails or holds a row of another feature set
     */
    public Map<String, Object> asOf(long userId, long requestTimeMillis) {
        return asOf(userId, state(userId), requestTimeMillis);
    }

    /** {@link #asOf(long, long)} from a state already read with {@link #state}. */
    public Map<String, Object> asOf(long userId, SpamUserState state, long requestTimeMillis) {
        Object[] row = engine.asOf(userId, state, requestTimeMillis);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Column column : userColumns) {
            values.put(column.name(), row[featureSchema.indexOf(column.name())]);
        }
        return Collections.unmodifiableMap(values);
    }

    /**
     * The {@code spam_features} row the job will write for {@code pending} (a content event of
     * {@code pending.userId} at {@code pending.timeMillis}) if no other event of the user comes
     * before it: every column of {@code spam_features}, by name.
     *
     * @throws IllegalArgumentException when {@code pending} is not a content event or is before the user's last event
     * @throws OnlineStoreException     when the store fails or holds a row of another feature set
     */
    public Map<String, Object> asOf(SpamInput pending) {
        return asOf(state(pending.userId), pending);
    }

    /** {@link #asOf(SpamInput)} from the user's state already read with {@link #state}. */
    public Map<String, Object> asOf(SpamUserState state, SpamInput pending) {
        Object[] row = engine.asOf(state, pending);
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < row.length; i++) {
            values.put(featureSchema.columns().get(i).name(), row[i]);
        }
        return Collections.unmodifiableMap(values);
    }

    /** The user's stored state; an empty state when the user has no live row. */
    public SpamUserState state(long userId) {
        Optional<Map<String, Object>> row = table.get(List.of(userId));
        if (row.isEmpty()) {
            return new SpamUserState();
        }
        Object version = row.get().get(OnlineTableSpec.FEATURE_SET_VERSION);
        if (!featureSetVersion.equals(version)) {
            throw new OnlineStoreException(
                    "spam_user_state row of user " + userId + " was written by feature set " + version + ", not "
                            + featureSetVersion + " (the config given): use the job's config",
                    null);
        }
        try {
            return SpamUserState.fromBytes(
                    Base64.getDecoder().decode((String) row.get().get("state")));
        } catch (IOException | IllegalArgumentException e) {
            throw new OnlineStoreException(
                    "spam_user_state row of user " + userId + " has an undecodable state: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        table.close();
    }
}
