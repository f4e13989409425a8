package io.eventstream.jobs.testing;

import io.eventstream.connectors.source.RawEvent;
import io.eventstream.jobs.cli.EventstreamCli;
import io.eventstream.jobs.cli.SourceOptions;
import io.eventstream.jobs.common.JobEnvironment;
import io.eventstream.jobs.common.RawEventSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs a production job (its topology and outputs, described by a {@link Job}) on the shared
 * MiniCluster ({@link FlinkTestCluster}) from a production source ({@link SourceOptions}: JSON-lines
 * files or Kafka, given to the job's workflow as {@code eventstream run <job>} gives it) at a
 * chosen parallelism, in the production environment ({@link JobEnvironment}: checkpoint
 * storage and interval, object reuse). The test changes only this over it: restarts off unless
 * asked for (a broken job must fail the test, not retry), and generic types disabled, so any Kryo
 * fallback anywhere in the job fails every run.
 *
 * <pre>{@code
 * SpamJobRun run = JobUnderTest.files(SpamTestData.JOB, events).parallelism(2).run(outDir);
 * run.features();   // spam_features rows read back with DuckDB
 * }</pre>
 *
 * @param <R> what a run of the job gives the tests
 */
public final class JobUnderTest<R extends JobRun> {

    /**
     * A job as the tests run it.
     *
     * @param command                  the {@code eventstream run} subcommand
     * @param configYaml               the job configuration the tests use (the wiring uses its parsed form)
     * @param checkpointIntervalMillis from that configuration
     * @param onlineFile               default SQLite online store, relative to the output directory (as the CLI)
     * @param datasets                 the datasets the job writes (as {@code <out>/<dataset>/v1})
     * @param wiring                   the job's production workflow over a source
     * @param view                     the job-specific readers of a run
     */
    public record Job<R extends JobRun>(
            String command,
            String configYaml,
            long checkpointIntervalMillis,
            String onlineFile,
            List<String> datasets,
            Wiring wiring,
            Function<JobRun, R> view) {}

    /**
     * Defines a job's production workflow ({@code SpamTopology.defineWorkflow} and its siblings) over
     * a source, writing under {@code out}; returns the version directory of each dataset.
     */
    @FunctionalInterface
    public interface Wiring {
        Map<String, Path> define(StreamExecutionEnvironment env, RawEventSource source, Path out, String onlineUri);
    }

    private final Job<R> job;
    private final SourceOptions source;
    private int parallelism = 2;
    private String online;
    private int restartAttempts;
    private UnaryOperator<DataStream<RawEvent>> beforeTopology = UnaryOperator.identity();
    private Consumer<Configuration> environment = conf -> {};

    private JobUnderTest(Job<R> job, SourceOptions source) {
        this.job = job;
        this.source = source;
    }

    /** The production file source over JSON-lines files (bounded). */
    public static <R extends JobRun> JobUnderTest<R> files(Job<R> job, Path... files) {
        return new JobUnderTest<>(job, SourceOptions.files(Arrays.asList(files)));
    }

    /** The production Kafka source from the earliest offsets, bounded at the latest offsets as of the start if asked. */
    public static <R extends JobRun> JobUnderTest<R> kafka(
            Job<R> job, String bootstrap, String topic, boolean bounded) {
        return new JobUnderTest<>(job, SourceOptions.kafka(bootstrap, topic, job.command() + "-test", bounded));
    }

    /**
     * The job through its command line ({@code eventstream run <job> --config ... --input FILE --out
     * OUT --online ONLINE --parallelism P}), on the shared MiniCluster: the production wiring of
     * source, topology and outputs. {@code online} null means the default SQLite store.
     */
    public static <R extends JobRun> R commandLine(Job<R> job, Path input, Path out, String online, int parallelism)
            throws IOException {
        Files.createDirectories(out);
        Path config = Files.writeString(out.resolve(job.command() + ".yaml"), job.configYaml());
        String store = online != null ? online : sqlite(job, out);
        int exit = EventstreamCli.commandLine()
                .execute(
                        "run",
                        job.command(),
                        "--config",
                        config.toString(),
                        "--input",
                        input.toString(),
                        "--out",
                        out.toString(),
                        "--online",
                        store,
                        "--parallelism",
                        Integer.toString(parallelism));
        if (exit != 0) {
            throw new IllegalStateException("eventstream run " + job.command() + " exited with " + exit);
        }
        Map<String, Path> versions = new LinkedHashMap<>();
        job.datasets()
                .forEach(dataset -> versions.put(dataset, out.resolve(dataset).resolve("v1")));
        return job.view().apply(new JobRun(out, versions, store, null));
    }

    public JobUnderTest<R> parallelism(int jobParallelism) {
        this.parallelism = jobParallelism;
        return this;
    }

    /** The online store URI; default {@code sqlite:<out>/<job's online file>}, as the CLI. */
    public JobUnderTest<R> online(String storeUri) {
        this.online = storeUri;
        return this;
    }

    /** Restarts with a fixed delay of 200 ms, at most this many times (default 0: a failure fails the job). */
    public JobUnderTest<R> restarts(int attempts) {
        this.restartAttempts = attempts;
        return this;
    }

    /** Something inserted between the source and the topology (e.g. failure injection). */
    public JobUnderTest<R> beforeTopology(UnaryOperator<DataStream<RawEvent>> operator) {
        this.beforeTopology = operator;
        return this;
    }

    /** Further environment settings. */
    public JobUnderTest<R> environment(Consumer<Configuration> settings) {
        this.environment = settings;
        return this;
    }

    /** Runs the job to its end (bounded sources). */
    public R run(Path out) throws Exception {
        Prepared prepared = prepare(out);
        JobExecutionResult result = prepared.env.execute(job.command() + " job under test");
        return job.view().apply(new JobRun(out, prepared.versions, prepared.online, result));
    }

    /** Submits the job and returns at once (unbounded sources); the caller cancels it. */
    public Started<R> start(Path out) throws Exception {
        Prepared prepared = prepare(out);
        JobClient client = prepared.env.executeAsync(job.command() + " job under test (streaming)");
        return new Started<>(job.view().apply(new JobRun(out, prepared.versions, prepared.online, null)), client);
    }

    /** A submitted job: where it writes, and its client. */
    public record Started<R>(R outputs, JobClient client) {}

    private record Prepared(StreamExecutionEnvironment env, Map<String, Path> versions, String online) {}

    private Prepared prepare(Path out) throws IOException {
        Configuration settings = new Configuration();
        settings.set(PipelineOptions.GENERIC_TYPES, false);
        if (restartAttempts == 0) {
            settings.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        } else {
            settings.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            settings.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restartAttempts);
            settings.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        }
        environment.accept(settings);
        StreamExecutionEnvironment env =
                JobEnvironment.create(parallelism, job.checkpointIntervalMillis(), null, null, settings);
        String store = online != null ? online : sqlite(job, out);
        RawEventSource wrapped = (e, watermarks) -> beforeTopology.apply(source.create(e, watermarks));
        return new Prepared(env, job.wiring().define(env, wrapped, out, store), store);
    }

    private static String sqlite(Job<?> job, Path out) {
        return "sqlite:" + out.resolve(job.onlineFile());
    }
}
