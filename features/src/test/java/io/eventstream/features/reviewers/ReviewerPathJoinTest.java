package io.eventstream.features.reviewers;

import static io.eventstream.features.reviewers.ReviewerTestEvents.DAY;
import static io.eventstream.features.reviewers.ReviewerTestEvents.T0;
import static io.eventstream.features.reviewers.ReviewerTestEvents.deleteBranch;
import static io.eventstream.features.reviewers.ReviewerTestEvents.member;
import static io.eventstream.features.reviewers.ReviewerTestEvents.mr;
import static io.eventstream.features.reviewers.ReviewerTestEvents.open;
import static io.eventstream.features.reviewers.ReviewerTestEvents.push;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.OrderedInput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The path-join rule on hand-built cases: an MR's changed paths come from pushes to its source
 * branch since the branch was last created (before and after the MR opened), never from other
 * branches, a deleted branch forgets its paths, more than 20 commits set paths_truncated. Each case
 * states its expected paths by hand; the reference must agree too.
 */
class ReviewerPathJoinTest {
    private static final long ALICE = 1;
    private static final long BOB = 2;

    private final ReviewerFeatureSet featureSet = new ReviewerFeatureSet(ReviewerJobConfig.defaults());
    private final DatasetSchema schema = featureSet.candidateSchema();

    /** (event_id, trigger, changed_path_count, path_prefix_count, paths_truncated) of the rank-1 rows. */
    private List<String> emissions(List<CloudEvent> events) {
        ReviewerFeatureEngine engine = new ReviewerFeatureEngine(featureSet);
        ReviewerProjectState state = engine.newState();
        List<ReviewerInput> inputs =
                new ArrayList<>(events.stream().map(ReviewerInputs::from).toList());
        inputs.sort(OrderedInput::compareOrder);
        List<String> out = new ArrayList<>();
        List<Object[]> all = new ArrayList<>();
        for (ReviewerInput input : inputs) {
            for (Object[] row : engine.apply(state, input).candidateRows()) {
                all.add(row);
                if ((Integer) row[schema.indexOf("candidate_rank")] == 1) {
                    out.add(row[0] + " " + row[schema.indexOf("trigger")] + " paths="
                            + row[schema.indexOf("changed_path_count")]
                            + " prefixes=" + row[schema.indexOf("path_prefix_count")]
                            + " truncated=" + row[schema.indexOf("paths_truncated")]);
                }
            }
        }
        List<CloudEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new java.util.Random(1));
        List<Object[]> expected =
                new NaiveReviewerReference(featureSet).compute(shuffled).candidateRows();
        assertThat(all).hasSameSizeAs(expected);
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i)).as("row %d equals the reference", i).isEqualTo(expected.get(i));
        }
        return out;
    }

    @Test
    void pushesBeforeAndAfterTheMrJoinByBranchOnly() {
        List<String> rows = emissions(List.of(
                member("m", T0, BOB, 30),
                push("p1", T0 + 1, ALICE, "feature", true, List.of(List.of("src/a/A.java"), List.of("src/a/B.java"))),
                push("other", T0 + 2, ALICE, "main", false, List.of(List.of("lib/Z.java"))),
                open("o", T0 + 3, 1, ALICE, "feature", List.of()),
                push("p2", T0 + 4, ALICE, "feature", false, List.of(List.of("src/a/A.java"))), // nothing new
                push("p3", T0 + 5, ALICE, "feature", false, List.of(List.of("docs/x/y/z/R.md"))),
                push("other2", T0 + 6, ALICE, "main", false, List.of(List.of("lib/Y.java")))));
        // docs/x/y/z/R.md adds prefixes docs, docs/x, docs/x/y (depth 3).
        assertThat(rows)
                .containsExactly(
                        "o opened paths=2 prefixes=2 truncated=false",
                        "p3 paths_grew paths=3 prefixes=5 truncated=false");
    }

    @Test
    void aDeletedBranchForgetsItsPathsAndARecreatedOneStartsOver() {
        List<String> rows = emissions(List.of(
                member("m", T0, BOB, 30),
                push("p1", T0 + 1, ALICE, "feature", true, List.of(List.of("old/One.java"))),
                deleteBranch("d", T0 + 2, ALICE, "feature"),
                push("p2", T0 + 3, ALICE, "feature", true, List.of(List.of("new/Two.java"))),
                open("o", T0 + 4, 1, ALICE, "feature", List.of()),
                deleteBranch("d2", T0 + 5, ALICE, "feature"),
                push("p3", T0 + 6, ALICE, "feature", true, List.of(List.of("new/Three.java"))),
                push("p4", T0 + 7, ALICE, "feature", false, List.of(List.of("README.md")))));
        // The open MR keeps its paths when the branch is deleted and gains those of the re-created branch.
        assertThat(rows)
                .containsExactly(
                        "o opened paths=1 prefixes=1 truncated=false",
                        "p3 paths_grew paths=2 prefixes=1 truncated=false",
                        "p4 paths_grew paths=3 prefixes=1 truncated=false");
    }

    @Test
    void aBranchCreatedAgainWithoutDeletionAlsoStartsOver() {
        List<String> rows = emissions(List.of(
                member("m", T0, BOB, 30),
                push("p1", T0 + 1, ALICE, "feature", true, List.of(List.of("a/One.java"))),
                push("p2", T0 + 2, ALICE, "feature", true, List.of(List.of("b/Two.java"))),
                open("o", T0 + 3, 1, ALICE, "feature", List.of())));
        assertThat(rows).containsExactly("o opened paths=1 prefixes=1 truncated=false");
    }

    @Test
    void moreThanTwentyCommitsMarkThePathsTruncated() {
        List<List<String>> twenty = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            twenty.add(List.of("src/F" + i + ".java"));
        }
        List<String> rows = emissions(List.of(
                member("m", T0, BOB, 30),
                push("p1", T0 + 1, ALICE, "big", true, twenty, 27),
                open("o", T0 + 2, 1, ALICE, "big", List.of()),
                open("o2", T0 + 3, 2, ALICE, "small", List.of())));
        assertThat(rows)
                .containsExactly(
                        "o opened paths=20 prefixes=1 truncated=true", "o2 opened paths=0 prefixes=0 truncated=false");
    }

    @Test
    void thePayloadsOwnListJoinsTheBranchPathsAndForksGetOnlyThePayload() {
        List<String> rows = emissions(List.of(
                member("m", T0, BOB, 30),
                push("p1", T0 + 1, ALICE, "feature", true, List.of(List.of("src/A.java"))),
                mr(
                        "o",
                        T0 + 2,
                        EventType.MERGE_REQUEST_OPENED,
                        1,
                        ALICE,
                        ALICE,
                        "feature",
                        List.of(),
                        List.of("src/A.java", "web/B.js")),
                mr(
                        "u",
                        T0 + 3,
                        EventType.MERGE_REQUEST_UPDATED,
                        1,
                        ALICE,
                        ALICE,
                        "feature",
                        List.of(),
                        List.of("web/B.js", "web/C.js")),
                ReviewerTestEvents.event(
                        "f",
                        T0 + 4,
                        EventType.MERGE_REQUEST_OPENED,
                        new io.eventstream.features.events.MergeRequestData(
                                ReviewerTestEvents.PROJECT,
                                1002,
                                2,
                                ALICE,
                                ALICE,
                                "t",
                                null,
                                "opened",
                                99L,
                                "feature",
                                "main",
                                false,
                                List.of(),
                                null,
                                List.of(),
                                List.of("fork/Only.java"))),
                push("p2", T0 + 5, ALICE, "feature", false, List.of(List.of("src/D.java")))));
        assertThat(rows)
                .containsExactly(
                        "o opened paths=2 prefixes=2 truncated=false",
                        "u paths_grew paths=3 prefixes=2 truncated=false",
                        "f opened paths=1 prefixes=1 truncated=false",
                        "p2 paths_grew paths=4 prefixes=2 truncated=false");
    }

    @Test
    void aBranchIdleForTheStateTtlIsForgotten() {
        long ttl = featureSet.config().stateTtlMillis();
        List<String> rows = emissions(List.of(
                member("m", T0, BOB, 30),
                push("p1", T0 + 1, ALICE, "feature", true, List.of(List.of("src/A.java"))),
                push("keepalive", T0 + ttl / 2, ALICE, "main", false, List.of(List.of("x/Y.java"))),
                open("o", T0 + 2 + ttl, 1, ALICE, "feature", List.of())));
        assertThat(rows).containsExactly("o opened paths=0 prefixes=0 truncated=false");
        assertThat(ttl).isEqualTo(366 * DAY);
    }

    @Test
    void prefixesAreDirectoriesUpToTheConfiguredDepth() {
        List<String> prefixes = new ArrayList<>();
        ReviewerPaths.prefixes("src/main/java/App.java", 3, prefixes);
        ReviewerPaths.prefixes("README.md", 3, prefixes);
        ReviewerPaths.prefixes("/abs//dir/F", 3, prefixes);
        ReviewerPaths.prefixes("a/b/C", 1, prefixes);
        assertThat(prefixes).containsExactly("src", "src/main", "src/main/java", "/abs", "/abs//dir", "a");
    }
}
