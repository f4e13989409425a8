package io.eventstream.jobs.cli;

import io.eventstream.connectors.online.OnlineStoreException;
import io.eventstream.connectors.reviewers.ReviewerCandidateReader;
import io.eventstream.features.config.ConfigException;
import io.eventstream.features.config.OnlineBackend;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.reviewers.CandidateFeatures;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eventstream suggest-reviewers}: the candidate reviewers of a new merge request, read from
 * the reviewer job's online tables by {@link ReviewerCandidateReader}.
 */
@Command(
        name = "suggest-reviewers",
        mixinStandardHelpOptions = true,
        description = {
            "Candidate reviewers for a new merge request from the reviewer job's online tables, ranked as the job "
                    + "ranks them (lookback activity, last activity, user id; at most candidates.max), one JSON object "
                    + "per line with the columns a served model reads, in a fixed order (docs/reviewer-features.md).",
            "Exit codes: 0 (also when there is no candidate), 2 bad options, config or store."
        })
public final class SuggestReviewersCommand implements Callable<Integer> {

    @Option(
            names = "--online",
            paramLabel = "STORE",
            description = "Online store the job wrote: sqlite:PATH or redis://HOST:PORT (password from "
                    + "EVENTSTREAM_REDIS_PASSWORD). Default: the config's online.* setting.")
    String online;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "The reviewer job config the tables were written with. Default: built-in defaults.")
    Path config;

    @Option(names = "--project", required = true, paramLabel = "ID", description = "The MR's project id.")
    long project;

    @Option(
            names = "--author",
            required = true,
            paramLabel = "ID",
            description = "The MR's author (never a candidate).")
    long author;

    @Option(names = "--path", paramLabel = "PATH", description = "A changed path of the MR; repeat for each.")
    List<String> paths = new ArrayList<>();

    @Option(
            names = "--now",
            paramLabel = "ISO-INSTANT",
            description = "Request time: the windowed counts and days_since_last_activity are as of it, "
                    + "e.g. 2024-01-08T12:00:00Z. Default: now.")
    Instant now;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReviewerJobConfig jobConfig;
        try {
            jobConfig = config == null ? ReviewerJobConfig.defaults() : ReviewerJobConfig.load(config);
        } catch (ConfigException e) {
            err.println("suggest-reviewers: bad config " + config + ": " + e.getMessage());
            return 2;
        }
        String store = online != null ? online : defaultStore(jobConfig);
        try (ReviewerCandidateReader reader = ReviewerCandidateReader.open(store, jobConfig)) {
            for (CandidateFeatures candidate :
                    reader.candidates(project, author, paths, now != null ? now : Instant.now())) {
                out.println(JsonLines.line(candidate.values()));
            }
        } catch (OnlineStoreException | IllegalArgumentException e) {
            // Store URIs in these messages are already redacted.
            err.println("suggest-reviewers: " + e.getMessage());
            return 2;
        }
        out.flush();
        return 0;
    }

    static String defaultStore(ReviewerJobConfig jobConfig) {
        return jobConfig.onlineBackend() == OnlineBackend.REDIS
                ? jobConfig.onlineRedisUrl()
                : "sqlite:" + Path.of(jobConfig.onlineSqlitePath());
    }
}
