package io.eventstream.jobs.cli;

import io.eventstream.features.config.ConfigException;
import io.eventstream.features.config.OnlineBackend;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.serving.FeatureServer;
import io.eventstream.serving.ParquetServedLog;
import io.eventstream.serving.ServedLog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eventstream serve}: the HTTP/JSON feature endpoint ({@link FeatureServer}) over the jobs'
 * online tables, until interrupted (Ctrl-C or SIGTERM stop it cleanly). docs/serving.md.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serves features over HTTP/JSON: GET|POST /v1/spam/users/{id}?at=ISO (spam features as of a request time, "
                    + "optionally with the content event being posted), GET|POST /v1/reviewers/candidates, /healthz, "
                    + "/metrics (Prometheus). docs/serving.md.",
            "Exit codes: 0 after a stop signal, 2 bad options, config or store."
        })
public final class ServeCommand implements Callable<Integer> {

    @Option(
            names = "--online",
            paramLabel = "STORE",
            description = "Store of the spam job's online tables: sqlite:PATH or redis://HOST:PORT (password from "
                    + "EVENTSTREAM_REDIS_PASSWORD). Default: the spam config's online.* setting.")
    String online;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "The spam job config the tables were written with. Default: built-in defaults.")
    Path config;

    @Option(
            names = "--reviewers-config",
            paramLabel = "FILE",
            description = "Also serve reviewer candidates, from the tables written with this reviewer job config.")
    Path reviewersConfig;

    @Option(
            names = "--reviewers-online",
            paramLabel = "STORE",
            description = "Store of the reviewer tables. Default: the reviewer config's online.* setting.")
    String reviewersOnline;

    @Option(names = "--no-spam", description = "Serve only reviewer candidates.")
    boolean noSpam;

    @Option(
            names = "--host",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "8080",
            description = "Port (0: any free port, printed at start). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--served-log",
            paramLabel = "DIR",
            description = "Log every answer (entity, request time, values, feature-set version) as Parquet under DIR, "
                    + "for ./eventstream consistency.")
    Path servedLog;

    @Option(
            names = "--served-log-rows",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Answers per served-log file (a file is also written at stop). Default: ${DEFAULT-VALUE}.")
    int servedLogRows;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        FeatureServer.Builder builder = FeatureServer.builder();
        try {
            if (!noSpam) {
                SpamJobConfig spam = config == null ? SpamJobConfig.defaults() : SpamJobConfig.load(config);
                builder.spam(online != null ? online : spamStore(spam), spam);
            }
            if (reviewersConfig != null) {
                ReviewerJobConfig reviewers = ReviewerJobConfig.load(reviewersConfig);
                builder.reviewers(
                        reviewersOnline != null ? reviewersOnline : SuggestReviewersCommand.defaultStore(reviewers),
                        reviewers);
            }
        } catch (ConfigException e) {
            err.println("serve: bad config: " + e.getMessage());
            return 2;
        }
        if (servedLog != null) {
            if (servedLogRows <= 0) {
                err.println("serve: --served-log-rows must be positive");
                return 2;
            }
            ServedLog log = new ParquetServedLog(servedLog, servedLogRows, Clock.systemUTC());
            builder.servedLog(log);
        }
        FeatureServer server;
        try {
            server = builder.start(host, port);
        } catch (RuntimeException e) {
            err.println("serve: cannot start: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    server.close();
                    stopped.countDown();
                },
                "serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        err.println("serve: listening on http://" + host + ":" + server.port());
        err.flush();
        stopped.await();
        return 0;
    }

    static String spamStore(SpamJobConfig config) {
        return config.onlineBackend() == OnlineBackend.REDIS
                ? config.onlineRedisUrl()
                : "sqlite:" + Path.of(config.onlineSqlitePath());
    }
}
