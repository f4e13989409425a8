package io.eventstream.jobs.testing;

import io.eventstream.connectors.deadletter.DeadLetters;
import io.eventstream.connectors.parquet.DatasetSink;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.spam.NaiveSpamReference;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamInputs;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.generator.GeneratorConfig;
import io.eventstream.jobs.common.LateRows;
import io.eventstream.jobs.spam.SpamOutputs;
import io.eventstream.jobs.spam.SpamTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The generated events the spam job tests share, their JSON-lines file and the naive reference's
 * expected output: generated and computed once per test JVM (a few seconds), because every
 * end-to-end test reads the same events.
 *
 * <p>About 107,000 events: 1,000 users (5% spammers) in 50 projects over 20 days, jitter up to
 * 20 s (below the 30 s watermark bound, so no generated event is late). The job configuration
 * ({@link #CONFIG_YAML}) keeps the default short windows but replaces the 7 d and 30 d ones by a
 * 3 d window (1 h hop) and sets {@code state.ttl: 73h} (its length plus its hop, the least allowed), so users
 * who pause for more than 73 hours lose
 * their state in the middle of the run: the expiry timers fire mid-stream, not only at the end.
 */
public final class SpamTestData {

    public static final GeneratorConfig GENERATOR = GeneratorConfig.of(20_240_101L, 1_000, 50, 20);
    private static final GeneratedEvents EVENTS = new GeneratedEvents(GENERATOR, "spam-test-events");

    /** The job configuration of the end-to-end tests, hash key included (so the reference uses the same key). */
    public static final String CONFIG_YAML = """
            windows:
              1m:  { length: 1m,  hop: 10s }
              10m: { length: 10m, hop: 1m }
              1h:  { length: 1h,  hop: 5m }
              24h: { length: 24h, hop: 1h }
              3d:  { length: 3d,  hop: 1h }
            features:
              content_events: [3d]
              prior_spam_verdicts: [3d]
            state:
              ttl: 73h
            checkpoint:
              interval: 500ms
            hashing:
              key: jobs-test-hash-key-0123456789
            """;

    public static final SpamJobConfig CONFIG = SpamJobConfig.parse(CONFIG_YAML);
    public static final SpamFeatureSet FEATURE_SET = new SpamFeatureSet(CONFIG);

    /** The spam job as the tests run it: production workflow and outputs over {@link #CONFIG}, no dead-letter topic. */
    public static final JobUnderTest.Job<SpamJobRun> JOB = job(CONFIG_YAML);

    /** {@link #JOB} over another config (with the tests' hash key). */
    public static JobUnderTest.Job<SpamJobRun> job(String configYaml) {
        SpamFeatureSet featureSet = new SpamFeatureSet(SpamJobConfig.parse(configYaml));
        return new JobUnderTest.Job<>(
                "spam",
                configYaml,
                featureSet.config().checkpointIntervalMillis(),
                "online/spam_user_features.sqlite",
                List.of(SpamFeatureSet.FEATURES_DATASET, SpamLabels.DATASET, LateRows.DATASET, DeadLetters.DATASET),
                (env, source, out, online) -> DatasetSink.localDirs(SpamTopology.defineWorkflow(
                        env, source, featureSet, hashKey(), new SpamOutputs(out, online, null, null))),
                SpamJobRun::new);
    }

    private static Expected expected;
    private static SpamJobRun cliRun;
    private static MixedInput mixed;

    private SpamTestData() {}

    /** The generated events in emission order. */
    public static List<CloudEvent> events() {
        return EVENTS.events();
    }

    /** The events as a JSON-lines file (structured mode, one event per line, emission order). */
    public static Path eventsFile() {
        return EVENTS.file();
    }

    /** What the job must write for {@link #events()}, by the naive reference. */
    public static synchronized Expected expected() {
        if (expected == null) {
            expected = Expected.of(events());
        }
        return expected;
    }

    /**
     * The job run through its command line ({@link JobUnderTest#commandLine}, parallelism 2) over
     * {@link #eventsFile()}; run once per JVM, on the shared MiniCluster. Tests compare other runs
     * with it.
     */
    public static synchronized SpamJobRun cliRun() throws IOException {
        if (cliRun == null) {
            cliRun = JobUnderTest.commandLine(JOB, eventsFile(), Files.createTempDirectory("spam-cli-run"), null, 2);
        }
        return cliRun;
    }

    /**
     * The generated events with duplicates, conflicting copies, future-dated, malformed and very late
     * events mixed in ({@link MixedInput}); written once per JVM. Late copies are content events.
     */
    public static synchronized MixedInput mixedInput() {
        if (mixed == null) {
            SpamInputs reduce = new SpamInputs(CONFIG, hashKey());
            mixed = MixedInput.write(
                    events(),
                    e -> reduce.from(e) != null || SpamLabels.labelRow(e) != null,
                    e -> SpamLabels.labelRow(e) == null
                            && reduce.from(e) != null
                            && reduce.from(e).isContent(),
                    "spam-mixed-events");
        }
        return mixed;
    }

    /**
     * A run over {@link #mixedInput()} wrote exactly the naive reference's rows for the clean events
     * (every column; the online table too), the expected dead letters (line and reason) and one late
     * row per late copy.
     */
    public static void assertMixedRun(SpamJobRun run, String what) {
        Expected expected = expected();
        MixedInput mixed = mixedInput();
        RowSets.assertSameRows(
                "spam_features " + what, FEATURE_SET.featureSchema(), "event_id", expected.features(), run.features());
        RowSets.assertSameRows(
                "spam_labels " + what, SpamLabels.SCHEMA, "label_event_id", expected.labels(), run.labels());
        RowSets.assertSameRows(
                "online table " + what,
                FEATURE_SET.onlineSchema(),
                expected.online(),
                run.online().rows());
        org.assertj.core.api.Assertions.assertThat(run.deadLetters().stream()
                        .map(row -> List.<Object>of(MixedInput.lineOf(row[0]), row[1]))
                        .toList())
                .as("dead letters (line, reason) " + what)
                .containsExactlyInAnyOrderElementsOf(mixed.deadLetters());
        org.assertj.core.api.Assertions.assertThat(
                        run.lateEvents().stream().map(row -> row[0]).toList())
                .as("late event ids " + what)
                .containsExactlyInAnyOrderElementsOf(mixed.lateIds());
    }

    /** The hash key of {@link #CONFIG}. */
    public static byte[] hashKey() {
        return CONFIG.resolveHashKey(Map.of());
    }

    /**
     * The reference output for a set of events: feature rows and label rows (dataset column order,
     * timestamps as epoch millis) and the final online table by user id.
     */
    public record Expected(List<Object[]> features, List<Object[]> labels, Map<Long, Object[]> online) {
        public static Expected of(Collection<CloudEvent> events) {
            NaiveSpamReference reference = new NaiveSpamReference(FEATURE_SET, new SpamInputs(CONFIG, hashKey()));
            return new Expected(
                    reference.featureRows(events), NaiveSpamReference.labelRows(events), reference.onlineRows(events));
        }
    }
}
