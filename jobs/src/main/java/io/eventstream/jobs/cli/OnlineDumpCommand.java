package io.eventstream.jobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.connectors.online.OnlineStoreException;
import io.eventstream.connectors.online.OnlineTableReader;
import io.eventstream.connectors.online.OnlineTableSpec;
import io.eventstream.connectors.reviewers.ReviewerOnlineTables;
import io.eventstream.connectors.spam.SpamOnlineReader;
import io.eventstream.connectors.spam.SpamPendingEvent;
import io.eventstream.features.config.ConfigException;
import io.eventstream.features.config.OnlineBackend;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.spam.ContentText;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.jobs.spam.SpamOutputs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eventstream online dump}: the live rows of one online table as JSON lines, through the
 * same {@link OnlineTableReader} a Java service uses; for looking into a store and for comparing
 * readers in other languages with it.
 */
@Command(
        name = "dump",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the live (not expired) rows of an online table, one JSON object per line: the table's columns in "
                    + "schema order, then feature_set_version; rows sorted by key.",
            "Tables: " + OnlineDumpCommand.SPAM_TABLE + " (spam job config), " + OnlineDumpCommand.USER_TABLE + ", "
                    + OnlineDumpCommand.PATH_TABLE + " (reviewer job config).",
            "Exit codes: 0, 2 bad options, config or store."
        })
public final class OnlineDumpCommand implements Callable<Integer> {
    static final String SPAM_TABLE = SpamFeatureSet.ONLINE_TABLE;
    static final String USER_TABLE = ReviewerFeatureSet.ONLINE_USER_TABLE;
    static final String PATH_TABLE = ReviewerFeatureSet.ONLINE_PATH_TABLE;
    static final String STATE_TABLE = SpamFeatureSet.STATE_TABLE;

    @Option(names = "--table", required = true, paramLabel = "NAME", description = "The online table.")
    String table;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "The config of the job that writes the table (its columns and version). Default: built-in defaults.")
    Path config;

    @Option(
            names = "--online",
            paramLabel = "STORE",
            description =
                    "sqlite:PATH or redis://HOST:PORT (password from EVENTSTREAM_REDIS_PASSWORD). Default: the config's online.* setting.")
    String online;

    @Option(
            names = "--key",
            paramLabel = "VALUE",
            description =
                    "Leading key values, in key order (repeat): the whole key prints one row, fewer print the rows "
                            + "under that prefix (in Redis only the prefix the table indexes: project_id of "
                            + USER_TABLE + "). Default: every row.")
    List<String> key = new ArrayList<>();

    @Option(
            names = "--at",
            paramLabel = "TIME",
            description =
                    "Only with --table " + STATE_TABLE + ": instead of the stored rows, print each user's features "
                            + "as of this ISO-8601 instant (e.g. 2024-05-01T12:00:00Z), computed by SpamOnlineReader; a user "
                            + "whose last event is later prints {user_id, error}.")
    Instant at;

    @Option(
            names = "--pending",
            paramLabel = "JSON",
            description = "With --at: the content event being posted (JSON object as in docs/serving.md), applied for "
                    + "every user: prints the spam_features row the job would write for it.")
    String pending;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OnlineTableSpec tableSpec;
        String store;
        try {
            if (table.equals(SPAM_TABLE)) {
                SpamJobConfig jobConfig = config == null ? SpamJobConfig.defaults() : SpamJobConfig.load(config);
                tableSpec = SpamOutputs.onlineTable(new SpamFeatureSet(jobConfig));
                store = jobConfig.onlineBackend() == OnlineBackend.REDIS
                        ? jobConfig.onlineRedisUrl()
                        : "sqlite:" + Path.of(jobConfig.onlineSqlitePath());
            } else if (table.equals(STATE_TABLE)) {
                SpamJobConfig jobConfig = config == null ? SpamJobConfig.defaults() : SpamJobConfig.load(config);
                tableSpec = SpamOnlineReader.stateTable(new SpamFeatureSet(jobConfig));
                store = jobConfig.onlineBackend() == OnlineBackend.REDIS
                        ? jobConfig.onlineRedisUrl()
                        : "sqlite:" + Path.of(jobConfig.onlineSqlitePath());
                if (at != null) {
                    return requestTimeValues(jobConfig, online != null ? online : store, tableSpec, out, err);
                }
            } else if (table.equals(USER_TABLE) || table.equals(PATH_TABLE)) {
                ReviewerJobConfig jobConfig =
                        config == null ? ReviewerJobConfig.defaults() : ReviewerJobConfig.load(config);
                ReviewerFeatureSet featureSet = new ReviewerFeatureSet(jobConfig);
                tableSpec = table.equals(USER_TABLE)
                        ? ReviewerOnlineTables.userTable(featureSet)
                        : ReviewerOnlineTables.pathTable(featureSet);
                store = SuggestReviewersCommand.defaultStore(jobConfig);
            } else {
                err.println("online dump: unknown table " + table + "; tables: " + SPAM_TABLE + ", " + STATE_TABLE
                        + ", " + USER_TABLE + ", " + PATH_TABLE);
                return 2;
            }
        } catch (ConfigException e) {
            err.println("online dump: bad config " + config + ": " + e.getMessage());
            return 2;
        }
        if (at != null || pending != null) {
            err.println("online dump: --at and --pending need --table " + STATE_TABLE);
            return 2;
        }
        try (OnlineTableReader reader = OnlineTableReader.open(online != null ? online : store, tableSpec)) {
            List<Object> keyValues = parseKey(tableSpec);
            Map<List<Object>, Map<String, Object>> rows;
            if (keyValues.isEmpty()) {
                rows = reader.scan();
            } else if (keyValues.size() == tableSpec.keyColumns().size()) {
                rows = reader.getAll(List.of(keyValues));
            } else {
                rows = reader.scanPrefix(keyValues);
            }
            List<List<Object>> keys = new ArrayList<>(rows.keySet());
            keys.sort(OnlineDumpCommand::compareKeys);
            for (List<Object> k : keys) {
                out.println(JsonLines.line(rows.get(k)));
            }
        } catch (OnlineStoreException | IllegalArgumentException e) {
            err.println("online dump: " + e.getMessage());
            return 2;
        }
        out.flush();
        return 0;
    }

    /** --at: every user's (or the --key user's) features as of the instant, one JSON line per user. */
    private int requestTimeValues(
            SpamJobConfig jobConfig, String store, OnlineTableSpec tableSpec, PrintWriter out, PrintWriter err) {
        JsonNode pendingJson = null;
        if (pending != null) {
            try {
                pendingJson = new ObjectMapper().readTree(pending);
            } catch (JsonProcessingException e) {
                err.println("online dump: --pending is not JSON: " + e.getOriginalMessage());
                return 2;
            }
        }
        ContentText text = new ContentText(jobConfig.gitlabHost());
        try (OnlineTableReader rows = OnlineTableReader.open(store, tableSpec);
                SpamOnlineReader reader = SpamOnlineReader.open(store, jobConfig)) {
            List<Object> keyValues = parseKey(tableSpec);
            List<List<Object>> keys =
                    new ArrayList<>(keyValues.isEmpty() ? rows.scan().keySet() : List.of(keyValues));
            keys.sort(OnlineDumpCommand::compareKeys);
            for (List<Object> k : keys) {
                long user = (Long) k.get(0);
                Map<String, Object> values = new LinkedHashMap<>();
                try {
                    values.putAll(
                            pendingJson == null
                                    ? reader.asOf(user, at.toEpochMilli())
                                    : reader.asOf(SpamPendingEvent.parse(pendingJson, user, at.toEpochMilli(), text)));
                    values.put(OnlineTableSpec.FEATURE_SET_VERSION, reader.featureSetVersion());
                } catch (IllegalArgumentException e) {
                    values.put("user_id", user);
                    values.put("error", e.getMessage());
                }
                out.println(JsonLines.line(values));
            }
        } catch (OnlineStoreException | IllegalArgumentException e) {
            err.println("online dump: " + e.getMessage());
            return 2;
        }
        out.flush();
        return 0;
    }

    /** The --key values typed as their key columns. */
    private List<Object> parseKey(OnlineTableSpec tableSpec) {
        if (key.size() > tableSpec.keyColumns().size()) {
            throw new IllegalArgumentException(
                    table + " has " + tableSpec.keyColumns().size() + " key columns " + tableSpec.keyColumns()
                            + ", got " + key.size() + " --key values");
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            Column column = tableSpec
                    .columns()
                    .get(tableSpec.schema().indexOf(tableSpec.keyColumns().get(i)));
            String text = key.get(i);
            try {
                values.add(
                        switch (column.type()) {
                            case LONG -> Long.parseLong(text);
                            case INT -> Integer.parseInt(text);
                            default -> text;
                        });
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("key column " + column.name() + " is a number, got --key " + text);
            }
        }
        return values;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKeys(List<Object> a, List<Object> b) {
        for (int i = 0; i < a.size(); i++) {
            // Key parts at one position share their column's class (Long, Integer or String).
            int order = ((Comparable) a.get(i)).compareTo(b.get(i));
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }
}
