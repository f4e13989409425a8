package io.eventstream.jobs.testing;

import io.eventstream.connectors.deadletter.DeadLetters;
import io.eventstream.connectors.source.EventSources;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.common.LateRows;
import io.eventstream.jobs.spam.SpamOutputs;
import io.eventstream.jobs.spam.SpamTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the production spam topology ({@link SpamTopology#define}) with the production outputs
 * ({@link SpamOutputs#attach}) on the shared MiniCluster ({@link FlinkTestCluster}), from a
 * production source (JSON-lines files or Kafka with the topology's per-split watermarks, as
 * {@code eventstream run spam} builds them) at a
 * chosen parallelism. Only the environment is the test's: checkpointing at the config's interval
 * (as the CLI), restarts off unless asked for (a broken job must fail the test, not retry), and
 * generic types disabled, so any Kryo fallback anywhere in the job fails every run.
 *
 * <pre>{@code
 * SpamJobRun run = SpamJobUnderTest.files(events).parallelism(2).run(outDir);
 * run.features();   // spam_features rows read back with DuckDB
 * }</pre>
 */
public final class SpamJobUnderTest {

    private final BiFunction<StreamExecutionEnvironment, WatermarkStrategy<RawEvent>, DataStream<RawEvent>> source;
    private SpamJobConfig config = SpamTestData.CONFIG;
    private int parallelism = 2;
    private String online;
    private int restartAttempts;
    private UnaryOperator<DataStream<RawEvent>> beforeTopology = UnaryOperator.identity();
    private Consumer<Configuration> environment = conf -> { };

    private SpamJobUnderTest(BiFunction<StreamExecutionEnvironment, WatermarkStrategy<RawEvent>, DataStream<RawEvent>> source) {
        this.source = source;
    }

    /** The production file source over JSON-lines files (bounded). */
    public static SpamJobUnderTest files(Path... files) {
        org.apache.flink.core.fs.Path[] paths = Arrays.stream(files)
                .map(file -> new org.apache.flink.core.fs.Path(file.toAbsolutePath().toUri()))
                .toArray(org.apache.flink.core.fs.Path[]::new);
        return new SpamJobUnderTest((env, watermarks) -> env.fromSource(EventSources.jsonLines(paths),
                        watermarks, "events from files")
                .returns(TypeInformation.of(RawEvent.class))
                .uid("source-files"));
    }

    /** The production Kafka source from the earliest offsets, bounded at the latest offsets as of the start if asked. */
    public static SpamJobUnderTest kafka(String bootstrap, String topic, boolean bounded) {
        return new SpamJobUnderTest((env, watermarks) -> env.fromSource(
                        EventSources.kafka(bootstrap, topic, "spam-test", OffsetsInitializer.earliest(), bounded),
                        watermarks, "events from kafka " + topic)
                .returns(TypeInformation.of(RawEvent.class))
                .uid("source-kafka"));
    }

    public SpamJobUnderTest config(SpamJobConfig jobConfig) {
        this.config = jobConfig;
        return this;
    }

    public SpamJobUnderTest parallelism(int jobParallelism) {
        this.parallelism = jobParallelism;
        return this;
    }

    /** The online store URI; default {@code sqlite:<out>/online/spam_user_features.sqlite}, as the CLI. */
    public SpamJobUnderTest online(String storeUri) {
        this.online = storeUri;
        return this;
    }

    /** Restarts with a fixed delay of 200 ms, at most this many times (default 0: a failure fails the job). */
    public SpamJobUnderTest restarts(int attempts) {
        this.restartAttempts = attempts;
        return this;
    }

    /** Something inserted between the source and the topology (e.g. failure injection). */
    public SpamJobUnderTest beforeTopology(UnaryOperator<DataStream<RawEvent>> operator) {
        this.beforeTopology = operator;
        return this;
    }

    /** Further environment settings. */
    public SpamJobUnderTest environment(Consumer<Configuration> settings) {
        this.environment = settings;
        return this;
    }

    /** Runs the job to its end (bounded sources). */
    public SpamJobRun run(Path out) throws Exception {
        Prepared prepared = prepare(out);
        JobExecutionResult result = prepared.env.execute("spam job under test");
        return new SpamJobRun(out, prepared.versions, prepared.online, result);
    }

    /** Submits the job and returns at once (unbounded sources); the caller cancels it. */
    public Started start(Path out) throws Exception {
        Prepared prepared = prepare(out);
        JobClient client = prepared.env.executeAsync("spam job under test (streaming)");
        return new Started(new SpamJobRun(out, prepared.versions, prepared.online, null), client);
    }

    /** A submitted job: where it writes, and its client. */
    public record Started(SpamJobRun outputs, JobClient client) {
    }

    private record Prepared(StreamExecutionEnvironment env, Map<String, Path> versions, String online) {
    }

    private Prepared prepare(Path out) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        if (restartAttempts == 0) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        } else {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restartAttempts);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        }
        environment.accept(conf);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(config.checkpointIntervalMillis());
        String store = online != null ? online : "sqlite:" + out.resolve("online/spam_user_features.sqlite");
        SpamOutputs outputs = new SpamOutputs(out, store, null, null);
        DataStream<RawEvent> raw = beforeTopology.apply(source.apply(env, SpamTopology.watermarks(config)));
        Map<String, Path> versions = outputs.attach(
                SpamTopology.define(raw, config, config.resolveHashKey(Map.of())), config);
        return new Prepared(env, versions, store);
    }

    /**
     * The outputs of a run, read back independently: datasets with DuckDB, the SQLite online table
     * with plain SQL.
     */
    public record SpamJobRun(Path out, Map<String, Path> versions, String onlineUri, JobExecutionResult result) {

        public Path version(String dataset) {
            Path dir = versions.get(dataset);
            if (dir == null) {
                throw new IllegalArgumentException("no dataset " + dataset + " in " + versions.keySet());
            }
            return dir;
        }

        public List<Object[]> features() {
            return DuckDbDatasets.rows(version(SpamFeatureSet.FEATURES_DATASET), SpamTestData.FEATURE_SET.featureSchema());
        }

        public List<Object[]> labels() {
            return DuckDbDatasets.rows(version(SpamLabels.DATASET), SpamLabels.SCHEMA);
        }

        public List<Object[]> lateEvents() {
            return DuckDbDatasets.rows(version(LateRows.DATASET), LateRows.SCHEMA);
        }

        public List<Object[]> deadLetters() {
            return DuckDbDatasets.rows(version(DeadLetters.DATASET), DeadLetters.schema());
        }

        /** The SQLite online table (fails for other stores). */
        public SqliteOnlineTable.Content online() {
            if (!onlineUri.startsWith("sqlite:")) {
                throw new IllegalStateException("not a SQLite online store: " + onlineUri);
            }
            return SqliteOnlineTable.read(Path.of(onlineUri.substring("sqlite:".length())),
                    SpamTestData.FEATURE_SET.onlineSchema(), "user_id");
        }
    }
}
