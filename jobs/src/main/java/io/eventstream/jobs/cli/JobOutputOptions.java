package io.eventstream.jobs.cli;

import io.eventstream.connectors.online.OnlineStores;
import io.eventstream.features.config.JobSettings;
import io.eventstream.features.config.OnlineBackend;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Output options shared by the feature jobs' commands, with how they execute ({@link ExecutionOptions}). */
public final class JobOutputOptions {
    @Option(
            names = "--out",
            paramLabel = "DIR",
            description =
                    "Dataset root (overrides dataset.root): a local directory or a URI (s3://bucket/path, hdfs://namenode/path); "
                            + "the SQLite online table goes to DIR/online/ (local DIR) unless --online is given.")
    String out;

    @Option(
            names = "--replace",
            description =
                    "Replace dataset versions that already hold the rows of an earlier run (deleting them) instead of refusing to run; see docs/datasets.md.")
    boolean replace;

    @Option(
            names = "--online",
            paramLabel = "STORE",
            description =
                    "Online store: sqlite:PATH or redis://HOST:PORT (rediss:// for TLS; password from EVENTSTREAM_REDIS_PASSWORD). Overrides online.*.")
    String online;

    @Mixin
    ExecutionOptions execution = new ExecutionOptions();

    @Option(
            names = "--dead-letter-topic",
            paramLabel = "TOPIC",
            description =
                    "With --kafka: also write dead letters to this topic (they always go to the dead_letters dataset).")
    String deadLetterTopic;

    /**
     * A password in {@code --online} becomes a job argument (kept by the cluster, shown in its web UI and
     * CLI log): say so, without the password, and point to the environment variable.
     */
    void warnAboutPasswordInOnlineUri(PrintStream err) {
        if (online != null && !OnlineStores.redact(online).equals(online)) {
            err.println("eventstream: warning: --online carries credentials, which end up in the Flink job arguments; "
                    + "give the password in EVENTSTREAM_REDIS_PASSWORD or EVENTSTREAM_REDIS_PASSWORD_FILE instead");
        }
    }

    /**
     * Where the datasets go: {@code --out}, else the config's {@code dataset.root}, which may be a
     * URI of any Flink filesystem ({@code s3://bucket/datasets}, {@code hdfs://namenode/datasets}).
     */
    String datasetRoot(JobSettings config) {
        return out != null ? out : config.datasetRoot();
    }

    /**
     * The online store URI: {@code --online}; else the config's Redis URL (backend redis) or SQLite
     * file, which moves to {@code <--out>/online/<file name>} when {@code --out} is given.
     */
    String onlineStore(JobSettings config) {
        if (online != null) {
            return online;
        }
        if (config.onlineBackend() == OnlineBackend.REDIS) {
            return config.onlineRedisUrl();
        }
        Path sqlite = Path.of(config.onlineSqlitePath());
        boolean localOut = out != null && !out.contains("://");
        return "sqlite:" + (localOut ? Path.of(out).resolve("online").resolve(sqlite.getFileName()) : sqlite);
    }
}
