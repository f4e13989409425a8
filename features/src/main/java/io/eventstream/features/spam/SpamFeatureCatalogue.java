package io.eventstream.features.spam;

import io.eventstream.features.config.CatalogueMarkdown;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.config.SpamWindowedFeature;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Generates {@code docs/spam-features.md}: the feature catalogue (every column of
 * {@code spam_features}, {@code spam_labels} and {@code spam_user_features} with type, nullability,
 * meaning and null rule) for the default configuration, and the configuration reference. A test
 * keeps the committed file equal to this output.
 *
 * <p>Usage: {@code SpamFeatureCatalogue [OUTPUT_FILE]} (stdout without an argument).
 */
public final class SpamFeatureCatalogue {

    /** The exact text grammar of link_count, external_link_count and mention_count ({@link ContentText}, {@link LinkHost}). */
    static final String LINKS_AND_MENTIONS = """
            ## Links and mentions

            `link_count`, `external_link_count` and `mention_count` read the title and the body separately (a link \
            never spans both), with these rules (implemented in `ContentText` and `LinkHost`; each rule has \
            hand-computed cases in `ContentTextTest`). A spam engine must read a link's host the way a browser \
            would, or `https://gitlab.example.com@evil.example.net/` passes for internal.

            1. **Start**: `http://` or `https://`, ASCII letters in any case, not directly after a letter, digit, \
               `+`, `-` or `.` (`xhttp://a.example` is no link; `(https://a.example)` is). Other schemes \
               (`ftp:`, `mailto:`) are no links.
            2. **End of the URL**: the first whitespace, control character, `<`, `>`, `"` or backquote (where GitLab \
               Flavored Markdown ends an autolink), then trailing `. , : ; ! ? * _ ~ ' )` are dropped as prose \
               (`(see https://gitlab.example.com).` reads `gitlab.example.com`). Only *trailing* characters go: \
               `https://gitlab.example.com)@evil.example.net` keeps its `)` and its host is `evil.example.net`.
            3. **Authority**: from after `://` to the first `/`, `\\`, `?` or `#` (browsers read `\\` as `/`).
            4. **User info**: everything up to and including the **last** `@` of the authority is user info and \
               ignored (WHATWG URL parsing): `https://gitlab.example.com@evil.example.net/login` has host \
               `evil.example.net` (external), `https://user@gitlab.example.com/` has host `gitlab.example.com` \
               (internal). A `@` in the path or query is not user info; a percent-encoded `%40` is not a `@`.
            5. **Port**: a host ends at the first `:` (after `]` for an IPv6 literal); the port is ignored: \
               `https://gitlab.example.com:8443/` is internal.
            6. **No host, no link**: `https://`, `http://user@/`, `http://:80/`, `https://./` count nothing.
            7. **Percent-encoding** in the host is decoded as UTF-8 first (`https://gitlab%2Eexample%2Ecom/` is \
               internal). A malformed escape, invalid UTF-8, or a decoded character a host cannot hold (anything \
               but letters, digits, `-`, `_`, `.` and non-ASCII letters: `evil.example.net%2F.gitlab.example.com`) \
               makes the host **unreadable**: the link counts, as external.
            8. **Trailing dots** (also the IDNA full stops `。` `．` `｡`) are dropped: `gitlab.example.com.` is \
               `gitlab.example.com`.
            9. **Case and IDN**: the host is converted to ASCII with `java.net.IDN.toASCII` (IDNA 2003 with \
               unassigned code points allowed: labels as punycode, fullwidth forms folded) and lowercased, and \
               `gitlab.host` goes through the same conversion: `https://Bücher.example` is `xn--bcher-kva.example`, \
               `https://ｇｉｔｌａｂ.example。com` is `gitlab.example.com` (internal), a Cyrillic `а` in \
               `gitlаb.example.com` gives `xn--gitlb-7ve.example.com` (external). A label that does not convert \
               (longer than 63 characters, say) makes the host unreadable (external). Unlike browsers (UTS 46), \
               IDNA 2003 maps `ß` to `ss`.
            10. **IP addresses**: a host whose last label is a decimal or `0x` hex number is an IPv4 address, read as \
                browsers read it (one to four parts, each decimal, `0x` hex or `0`-led octal; the last fills the \
                remaining bytes): `http://2130706433/`, `http://0x7f.1/` and `http://0177.0.0.01/` are all \
                `127.0.0.1`; `256.1.1.1` or five parts make it unreadable (external). An IPv6 literal is \
                `[…]` with hex digits, `:` and `.` only, compared in Java's full form (`[::1]` is \
                `[0:0:0:0:0:0:0:1]`); an IPv4-mapped one (`[::ffff:10.0.0.5]`) is that IPv4 address. An address is \
                never a subdomain of anything.
            11. **Internal or external**: a link is internal when its host equals `gitlab.host` or, for a host \
                name, ends with `.` + `gitlab.host` (a subdomain: `docs.gitlab.example.com`); every other link, \
                unreadable hosts included, counts in `external_link_count`. `gitlab.example.com.evil.net` is \
                external.

            **Mentions**: an `@` followed by a letter, digit or `_`, not preceded by a letter, digit, `_`, `.`, `-` \
            or `@` (so `bob@example.org` and `@@x` do not count), and not inside a link (from its scheme to the end \
            of its URL, rule 2: `https://medium.example/@bob` is a link, no mention). Each such `@` counts once; \
            `@group/subgroup` is one mention.

            """;

    /** Which inputs keep a user's state, and how state.ttl relates to the windows (SpamFeatureEngine, SpamJobConfig). */
    static final String STATE_LIFETIME = """
            ## Which events keep a user's state

            The state of a user (profile, memberships, window tiles) lives as long as the user's *relevant* \
            events keep coming. Relevant, keyed by user id: issues opened and merge requests opened (by the \
            author, else the actor), notes created by the author (**not** system notes), `user.created`, \
            project-scope `member.added`, `member.updated` and `member.removed` of that user, and `spam.verdict` \
            with verdict DISALLOW or BLOCK about that user's content; `issue.closed` (keyed by the issue's author, \
            else the actor) only when a feature reading it (`issues_closed`) is enabled. Every other event (other \
            types, system notes, group-scope memberships, verdicts ALLOW/CONDITIONAL_ALLOW/NOOP) never touches the \
            state.

            - When a relevant event comes more than `state.ttl` after the user's previous relevant event (event \
              times, in `(time, id)` order), the state is cleared first, then the event applied. The job also clears \
              the state of a user who went quiet: an event-time timer at the last event's time + `state.ttl` + \
              1 ms + `time.allowed_lateness` drops it; both paths give the same rows, so output never depends \
              on when the timer fired.
            - **`state.ttl` ≥ longest window plus its hop.** At event time `t` a window of length `W` and hop `h` \
              starts at `floor(t/h)*h - W`, which is up to `W + h - 1 ms` before `t`. A TTL shorter than that \
              would forget events the window still covers, so the configuration is refused at start \
              (`state.ttl: 7d is shorter than the longest window plus its hop, 31d (window 30d: 30d + 1d); …`). \
              "Longest" is the largest `W + h` over all windows; it is also the default (31d for the default \
              windows). A longer TTL only keeps sign-up time, email domain and memberships longer.

            """;

    /** How to add a windowed feature: one declaration plus YAML (SpamWindowedFeature, SpamDeclaredFeaturesTest). */
    static final String ADDING_A_FEATURE = """
            ## Adding a feature

            A windowed feature is one constant of `SpamWindowedFeature` (features module, `config` package): YAML \
            key, default windows, what it computes (`SpamFeatureSpec`: input kinds, value, aggregation; online unless \
            it is a same-value count) and description. The engine compiles the enabled declarations into its tile \
            arrays at start; the dataset and online schemas, `_feature_set.json`, this catalogue, the configuration \
            reference and the tests' naive reference follow; so does the Python state reader, through \
            `notebooks/eventstream_features/spam_declarations.py`, regenerated with this catalogue. New constants go last: the tile layout of checkpointed \
            states follows the order. `mentions` and `issues_closed` below are declared this way, off by default (no \
            default windows): a configuration that does not list them has the same columns and \
            `feature_set_version` as before they existed.

            ```java
            MENTIONS(
                    "mentions",
                    List.of(), // off by default; List.of("1h") would make mentions_1h a default column
                    sum(SpamValue.MENTION_COUNT, CONTENT),
                    "Total @name mentions (mention_count) in the user's content events in the window, ..."),
            ISSUES_CLOSED(
                    "issues_closed",
                    List.of(),
                    count(kinds(SpamInput.ISSUE_CLOSED)),
                    "issue.closed events of issues the user authored (the closer when the author is unknown) ..."),
            ```

            and in the job's YAML, one line each (a window is one more name in the list):

            ```yaml
            features:
              mentions: [1h]        # column mentions_1h
              issues_closed: [24h]  # column issues_closed_24h
            ```

            A value other than those of `SpamValue` (an input field) or an input kind other than those of \
            `SpamInput` (an event type `SpamInputs` reduces) is one more enum constant or kind there; \
            `issue.closed` is an optional kind, reduced only when an enabled feature reads it. At most one \
            distinct-count feature can be enabled (a state holds one `DistinctIds`).

            """;

    private SpamFeatureCatalogue() {}

    public static void main(String[] args) throws IOException {
        CatalogueMarkdown.write(render(), args);
    }

    /** The whole document for the default configuration. */
    public static String render() {
        SpamJobConfig config = SpamJobConfig.defaults();
        SpamFeatureSet features = new SpamFeatureSet(config);
        StringBuilder out = new StringBuilder();
        out.append("# Spam features: catalogue and configuration\n\n");
        out.append(
                "<!-- Generated by io.eventstream.features.spam.SpamFeatureCatalogue; do not edit. Regenerate with\n");
        out.append("     mvn -B -o -pl features test -Dtest=SpamFeatureCatalogueTest -Dcatalogue.write=true -->\n\n");
        out.append("What the spam features job computes, for the default configuration (`deploy/config/spam.yaml`). ")
                .append("Column names of windowed features follow the configured windows: another configuration ")
                .append("gives other columns, recorded in the `_feature_set.json` of each dataset version.\n\n");
        out.append("Default `feature_set_version` (fingerprint of the definitions): `")
                .append(features.fingerprint())
                .append("`.\n\n");

        out.append("## How values are computed\n\n");
        out.append("- **One row per content event**: an issue opened, a note created (GitLab's system notes excluded) ")
                .append("or a merge request opened. Every value is *as of* that event.\n");
        out.append("- **Order**: a user's events are applied in `(time, id)` order (event time, then CloudEvent id), ")
                .append("whatever order they arrive in, so the same events always give the same rows.\n");
        out.append(
                        "- **Windows** (sawtooth, as in Chronon): at event time `t` a window of length `W` and hop `h` covers ")
                .append(
                        "the user's events with time in `[floor(t/h)*h - W, t]` ordered at or before the current event, ")
                .append("so the current event counts. The start moves in whole hops; the result is exact at hop ")
                .append("granularity and state per user is bounded. `prior_spam_verdicts_*` counts only verdicts ")
                .append("strictly before `t`.\n");
        out.append("- **State TTL**: when an event comes more than `state.ttl` after the user's previous event, the ")
                .append("user's state is forgotten first (sign-up time, email domain, memberships, previous content ")
                .append("time). This is decided by event times alone, so it is deterministic.\n");
        out.append(
                        "- **Privacy**: no text, email, name or IP address is stored or written. Text becomes lengths, counts, ")
                .append("ratios and a 64-bit hash of its normalized form; an email becomes a domain class and a keyed ")
                .append("hash (HMAC-SHA256) of its domain.\n\n");
        // Continued lines of the text blocks keep their indentation: fold it to single spaces.
        out.append(LINKS_AND_MENTIONS.replaceAll(" {2,}", " "));
        out.append(STATE_LIFETIME.replaceAll(" {2,}", " "));

        declarations(out);
        out.append(ADDING_A_FEATURE);

        CatalogueMarkdown.windows(out, "Default windows:", config.windows());

        CatalogueMarkdown.schema(
                out,
                "Dataset `spam_features`",
                "One row per content event; partitioned by `event_time` (`dt=YYYY-MM-DD/hour=HH`, UTC).",
                features.featureSchema());
        CatalogueMarkdown.schema(
                out,
                "Dataset `spam_labels`",
                "One row per label-bearing event; partitioned by `label_time`. spam.verdict DISALLOW/BLOCK → spam, "
                        + "ALLOW → ham, CONDITIONAL_ALLOW and NOOP → no label (the checker was unsure or did not decide); "
                        + "abuse_report.resolved banned/blocked → spam, dismissed → ham; user.blocked → spam "
                        + "(noisiest source: admins block for other reasons too).",
                features.labelSchema());
        CatalogueMarkdown.schema(
                out,
                "Online table `spam_user_features`",
                "The user-level columns of each user's latest `spam_features` row (newest `event_time` wins), keyed by "
                        + "`user_id`. Content-level columns (text, project, repeat count) are left out. The online "
                        + "store adds `feature_set_version` (the fingerprint above) to every row; key and value layout "
                        + "per backend: [online tables](online-tables.md).",
                features.onlineSchema());

        out.append("## Configuration reference\n\n");
        out.append(
                        "Keys of the job's YAML file (`deploy/config/spam.yaml` documents each one). Durations are an integer ")
                .append("and a unit: `ms`, `s`, `m`, `h`, `d`. Unknown keys, bad durations, hops that do not divide ")
                .append("lengths, features naming undefined windows and zero or negative values fail at start with a ")
                .append("message naming the key.\n\n");
        out.append(SpamJobConfig.optionsTable());
        return out.toString();
    }

    /**
     * The declarations as a Python module ({@code notebooks/eventstream_features/spam_declarations.py}),
     * from which the Python state reader derives columns and tile layout. A test keeps the committed
     * file equal to this output.
     */
    public static String pythonDeclarations() {
        StringBuilder out = new StringBuilder();
        out.append(
                        "\"\"\"The windowed spam features as declared in the Java enum SpamWindowedFeature, in column order.\n\n")
                .append(
                        "Generated by io.eventstream.features.spam.SpamFeatureCatalogue; do not edit. Regenerate with\n")
                .append("mvn -B -o -pl features test -Dtest=SpamFeatureCatalogueTest -Dcatalogue.write=true\n")
                .append("\"\"\"\n\n")
                .append(
                        "#: (key, event types read, value (an input field, or 1), aggregation, default windows, online)\n")
                .append("SPAM_FEATURE_DECLARATIONS = (\n");
        for (SpamWindowedFeature feature : SpamWindowedFeature.values()) {
            SpamFeatureSpec spec = feature.spec();
            out.append("    (")
                    .append(pythonString(feature.key()))
                    .append(", ")
                    .append(pythonTuple(spec.eventTypes()))
                    .append(", ")
                    .append(pythonString(spec.value().field()))
                    .append(", ")
                    .append(pythonString(spec.aggregation().name().toLowerCase(Locale.ROOT)))
                    .append(", ")
                    .append(pythonTuple(feature.defaultWindows()))
                    .append(", ")
                    .append(spec.online() ? "True" : "False")
                    .append("),\n");
        }
        return out.append(")\n").toString();
    }

    private static String pythonString(String s) {
        return "\"" + s + "\"";
    }

    private static String pythonTuple(List<String> items) {
        return items.isEmpty()
                ? "()"
                : "("
                        + String.join(
                                ", ",
                                items.stream()
                                        .map(SpamFeatureCatalogue::pythonString)
                                        .toList()) + (items.size() == 1 ? ",)" : ")");
    }

    /** The table of every declared windowed feature, enabled by default or not. */
    private static void declarations(StringBuilder out) {
        out.append("## Windowed features\n\n");
        out.append("Each declared once in `SpamWindowedFeature`; every column below and the engine's tiles are ")
                .append("derived from these declarations. A window ends at `t]` (the current event counts) or, for ")
                .append("a count before t, at `t)`.\n\n");
        out.append(
                "| feature | inputs | value | aggregation | default windows | online |\n|---|---|---|---|---|---|\n");
        for (SpamWindowedFeature feature : SpamWindowedFeature.values()) {
            SpamFeatureSpec spec = feature.spec();
            out.append("| `")
                    .append(feature.key())
                    .append("` | ")
                    .append(String.join(", ", spec.eventTypesFiltered()).replace("|", "\\|"))
                    .append(" | `")
                    .append(spec.value().field())
                    .append("` | ")
                    .append(spec.aggregation().text())
                    .append(" | ")
                    .append(feature.defaultWindows().isEmpty() ? "(off)" : String.join(", ", feature.defaultWindows()))
                    .append(" | ")
                    .append(spec.online() ? "yes" : "no")
                    .append(" |\n");
        }
        out.append('\n');
    }
}
