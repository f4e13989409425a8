package io.eventstream.jobs.reviewers;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.online.OnlineTableReader;
import io.eventstream.connectors.online.RedisServer;
import io.eventstream.connectors.reviewers.ReviewerCandidateReader;
import io.eventstream.connectors.reviewers.ReviewerOnlineTables;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.CommitData;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.MergeRequestData;
import io.eventstream.features.events.PushData;
import io.eventstream.features.reviewers.CandidateFeatures;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.reviewers.ReviewerOnlineCandidates;
import io.eventstream.generator.GeneratorConfig;
import io.eventstream.generator.SyntheticEventGenerator;
import io.eventstream.jobs.testing.DuckDbDatasets;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.ReviewerJobRun;
import io.eventstream.jobs.testing.ReviewerTestData;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving reader against the job itself: after the reviewer job ran over a generated stream
 * that ends with a new MR, the candidates {@link ReviewerCandidateReader} reads from the online
 * tables equal the {@code reviewer_candidates} rows the job emitted for that MR, in every column the
 * tables carry, from SQLite and from Redis.
 *
 * <p>Why they must be equal here, not merely close: the job computes the MR's rows as of the MR's
 * event time {@code t}; each online row holds a user's values as of that row's {@code event_time}
 * {@code t_u <= t}. Every event that changes a user's counts, load, membership or activity (a note,
 * approval, review, push, membership or reviewer change, merge/close of an MR the user reviews)
 * also writes the user's row at that event's time, and every push or review that changes a
 * (user, prefix) count writes that row; so between {@code t_u} and {@code t} no event changed them.
 * What could still differ is the windows sliding: a sawtooth window at {@code t} covers
 * {@code [floor(t/hop)*hop - length, t]}, so an event counted at {@code t_u} may have left the
 * window by {@code t}. The stream lasts 14 days, less than the shortest window (30d) and the
 * lookback (90d), so every window at any time of the stream covers the whole stream before it and
 * nothing leaves. The MR is the last event (nothing after it changes the tables) and the reader is
 * asked with {@code now = t}, which makes {@code days_since_last_activity} equal too. With a stream
 * longer than a window, values of users idle since an earlier tile would be larger online than in
 * the training row: the documented "as of event_time" caveat.
 */
@ExtendWith(FlinkTestCluster.class)
class ReviewerCandidateReaderJobTest {
    /** candidates.max below the project's candidate count, so the cap is part of what is compared. */
    private static final ReviewerJobConfig CONFIG = ReviewerJobConfig.parse("""
            checkpoint:
              interval: 2s
            candidates:
              max: 6
            """);

    private static final ReviewerFeatureSet FEATURE_SET = new ReviewerFeatureSet(CONFIG);
    private static final JobUnderTest.Job<ReviewerJobRun> JOB = ReviewerTestData.job(CONFIG.yaml());
    private static final String MR_EVENT_ID = "serving-test-mr-opened";

    @TempDir
    static Path data;

    private static Path eventsFile;
    private static long project;
    private static long author;
    private static List<String> paths;
    private static Instant mrTime;

    @BeforeAll
    static void generate() throws Exception {
        List<CloudEvent> events =
                new ArrayList<>(SyntheticEventGenerator.generateAll(GeneratorConfig.of(2024_0917L, 60, 2, 14)));
        chooseProjectAuthorAndPaths(events);
        CloudEvent last =
                events.stream().max(Comparator.comparing(CloudEvent::time)).orElseThrow();
        mrTime = last.time().plusSeconds(1);
        events.add(new CloudEvent(
                MR_EVENT_ID,
                last.source(),
                EventType.MERGE_REQUEST_OPENED,
                mrTime,
                "projects/" + project + "/merge_requests/1000000",
                null,
                mrTime,
                Long.toString(author),
                new MergeRequestData(
                        project,
                        9_000_000L,
                        1_000_000L,
                        author,
                        author,
                        null,
                        null,
                        "opened",
                        project,
                        "serving-test-branch-without-pushes",
                        "main",
                        false,
                        List.of(),
                        null,
                        List.of(),
                        paths)));
        eventsFile = data.resolve("events.jsonl");
        CloudEventJson json = new CloudEventJson();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(eventsFile))) {
            for (CloudEvent event : events) {
                out.write(json.write(event));
                out.write('\n');
            }
        }
    }

    /**
     * The project with the most pushed paths, its most frequent pusher as the author (a strong
     * candidate, so excluding the author matters), and as changed paths its eight most pushed paths
     * plus two without history (one at the top level, so it has no prefix).
     */
    private static void chooseProjectAuthorAndPaths(List<CloudEvent> events) {
        Map<Long, Map<String, Integer>> pathCounts = new TreeMap<>();
        Map<Long, Map<Long, Integer>> pushers = new TreeMap<>();
        for (CloudEvent event : events) {
            if (event.data() instanceof PushData push && push.userId() != null) {
                pushers.computeIfAbsent(push.projectId(), p -> new TreeMap<>()).merge(push.userId(), 1, Integer::sum);
                for (CommitData commit : push.commits()) {
                    for (List<String> list : List.of(commit.added(), commit.modified(), commit.removed())) {
                        list.forEach(path -> pathCounts
                                .computeIfAbsent(push.projectId(), p -> new TreeMap<>())
                                .merge(path, 1, Integer::sum));
                    }
                }
            }
        }
        project = pathCounts.entrySet().stream()
                .max(Comparator.comparingInt(e -> e.getValue().size()))
                .orElseThrow()
                .getKey();
        author = pushers.get(project).entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
        paths = new ArrayList<>(pathCounts.get(project).entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(8)
                .map(Map.Entry::getKey)
                .toList());
        paths.add("serving-test/never/touched.txt");
        paths.add("SERVING_TEST_TOP_LEVEL.md");
    }

    @Test
    void theReaderOnSqliteReturnsTheRowsTheJobEmittedForTheLastMr() throws Exception {
        Path out = data.resolve("sqlite");
        String uri = "sqlite:" + out.resolve("online/reviewer_features.sqlite");
        Map<String, Path> versions = run(out, uri);
        List<Map<String, Object>> emitted = emittedRows(versions.get(ReviewerFeatureSet.CANDIDATES_DATASET));

        assertThat(emitted).as("the cap is reached").hasSize(CONFIG.maxCandidates());
        assertThat(emitted)
                .as("some candidate has history under the MR's prefixes")
                .anyMatch(row -> (Integer) row.get("prefix_commits_365d") > 0);
        try (OnlineTableReader users = OnlineTableReader.open(uri, ReviewerOnlineTables.userTable(FEATURE_SET))) {
            Map<String, Object> authorRow = users.get(List.of(project, author)).orElseThrow();
            assertThat((Integer) authorRow.get("lookback_activity"))
                    .as("the author would be a candidate")
                    .isPositive();
            assertThat(users.scanPrefix(List.of(project)))
                    .as("more users than the cap")
                    .hasSizeGreaterThan(CONFIG.maxCandidates() + 1);
        }
        assertThat(readerRows(uri)).containsExactlyElementsOf(emitted);
    }

    @Test
    void theReaderOnRedisReturnsTheSameRowsThroughTheIndexTheJobWrote() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            Map<String, Path> versions = run(data.resolve("redis"), redis.uri());
            assertThat(readerRows(redis.uri()))
                    .containsExactlyElementsOf(emittedRows(versions.get(ReviewerFeatureSet.CANDIDATES_DATASET)));
        }
    }

    /** The reader's answer for the MR, without as_of_time (the training rows have no such column). */
    private static List<Map<String, Object>> readerRows(String uri) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ReviewerCandidateReader reader = ReviewerCandidateReader.open(uri, CONFIG)) {
            for (CandidateFeatures candidate : reader.candidates(project, author, paths, mrTime)) {
                Map<String, Object> values = new LinkedHashMap<>(candidate.values());
                values.remove(ReviewerOnlineCandidates.AS_OF_TIME);
                rows.add(values);
            }
        }
        return rows;
    }

    /** The job's reviewer_candidates rows of the MR, by rank, in the reader's columns. */
    private static List<Map<String, Object>> emittedRows(Path version) {
        DatasetSchema schema = FEATURE_SET.candidateSchema();
        List<Column> columns = new ReviewerOnlineCandidates(FEATURE_SET).columns();
        Map<Integer, Map<String, Object>> byRank = new TreeMap<>();
        for (Object[] row : DuckDbDatasets.rows(version, schema)) {
            if (!MR_EVENT_ID.equals(row[schema.indexOf("event_id")])) {
                continue;
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (Column column : columns) {
                if (!column.name().equals(ReviewerOnlineCandidates.AS_OF_TIME)) {
                    values.put(column.name(), row[schema.indexOf(column.name())]);
                }
            }
            byRank.put((Integer) values.get("candidate_rank"), values);
        }
        assertThat(byRank).as("the job emitted rows for the MR").isNotEmpty();
        return new ArrayList<>(byRank.values());
    }

    /** The reviewer job over the stream, with this test's config, as the other tests run it. */
    private static Map<String, Path> run(Path out, String onlineUri) throws Exception {
        return JobUnderTest.files(JOB, eventsFile).online(onlineUri).run(out).versions();
    }
}
