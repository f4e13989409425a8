package io.eventstream.features.reviewers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.reviewers.ReviewerCandidateOrder.Candidate;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link ReviewerCandidateOrder} and the online reader's selection on the hand-computed cases of
 * {@code reviewers/candidate-order-cases.json}, which the Python reader is checked against too
 * ({@code notebooks/tests/test_candidate_order.py}).
 */
class ReviewerCandidateOrderTest {
    private static final long PROJECT = 7;
    private static final long AUTHOR = 99_999;
    private static final List<Case> CASES = readCases();

    /** One case of the file: the candidates in the file's order, the expected user ids best first. */
    private record Case(String name, int max, List<Candidate> candidates, List<Long> expected) {}

    @Test
    void theCasesFileIsRead() {
        assertThat(CASES).hasSizeGreaterThanOrEqualTo(10);
        assertThat(CASES).allSatisfy(c -> assertThat(c.expected()).hasSizeLessThanOrEqualTo(c.max()));
    }

    @TestFactory
    Stream<DynamicTest> orderSortsEveryCaseAsExpected() {
        return CASES.stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    List<Candidate> sorted = new ArrayList<>(c.candidates());
                    sorted.sort(ReviewerCandidateOrder.ORDER);
                    assertThat(ids(sorted.subList(0, Math.min(c.max(), sorted.size()))))
                            .isEqualTo(c.expected());
                }));
    }

    @TestFactory
    Stream<DynamicTest> orderIsStrictAndAntisymmetric() {
        return CASES.stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    for (Candidate a : c.candidates()) {
                        for (Candidate b : c.candidates()) {
                            int ab = Integer.signum(ReviewerCandidateOrder.ORDER.compare(a, b));
                            int ba = Integer.signum(ReviewerCandidateOrder.ORDER.compare(b, a));
                            assertThat(ab).as("%s vs %s", a, b).isEqualTo(-ba);
                            assertThat(ab == 0).as("%s vs %s", a, b).isEqualTo(a.userId() == b.userId());
                        }
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> bestKeepsTheExpectedCandidatesWhateverTheOfferOrder() {
        return CASES.stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    for (List<Candidate> offered : offerOrders(c.candidates())) {
                        ReviewerCandidateOrder.Best best = new ReviewerCandidateOrder.Best(c.max());
                        offered.forEach(x -> best.offer(x.userId(), x.lookbackActivity(), x.lastActivityTime()));
                        assertThat(ids(best.ranked())).as("offered %s", offered).isEqualTo(c.expected());
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> onlineReaderSelectsTheExpectedCandidates() {
        return CASES.stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    ReviewerOnlineCandidates reader = new ReviewerOnlineCandidates(
                            new ReviewerFeatureSet(ReviewerJobConfig.parse("candidates:\n  max: " + c.max() + "\n")));
                    for (List<Candidate> offered : offerOrders(c.candidates())) {
                        List<Map<String, Object>> rows = new ArrayList<>();
                        // Every candidate as a member (so none is dropped for inactivity), and the MR's author, who is
                        // never one.
                        rows.add(userRow(new Candidate(AUTHOR, 1_000, 1_000)));
                        offered.forEach(x -> rows.add(userRow(x)));
                        List<Long> selected = new ArrayList<>();
                        reader.select(PROJECT, AUTHOR, rows).forEach(row -> selected.add((Long) row.get("user_id")));
                        assertThat(selected).as("offered %s", offered).isEqualTo(c.expected());
                    }
                }));
    }

    /** The file's order, its reverse and a few fixed shuffles. */
    private static List<List<Candidate>> offerOrders(List<Candidate> candidates) {
        List<List<Candidate>> orders = new ArrayList<>();
        orders.add(candidates);
        List<Candidate> reversed = new ArrayList<>(candidates);
        Collections.reverse(reversed);
        orders.add(reversed);
        Random random = new Random(15);
        for (int i = 0; i < 5; i++) {
            List<Candidate> shuffled = new ArrayList<>(candidates);
            Collections.shuffle(shuffled, random);
            orders.add(shuffled);
        }
        return orders;
    }

    /** A user row as select reads it, of a member. */
    private static Map<String, Object> userRow(Candidate candidate) {
        Map<String, Object> row = new HashMap<>();
        row.put("project_id", PROJECT);
        row.put("user_id", candidate.userId());
        row.put("is_member", true);
        row.put("lookback_activity", (int) candidate.lookbackActivity());
        row.put(
                "last_activity_time",
                candidate.lastActivityTime() == ReviewerCandidateOrder.NO_ACTIVITY
                        ? null
                        : candidate.lastActivityTime());
        return row;
    }

    private static List<Long> ids(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::userId).toList();
    }

    private static List<Case> readCases() {
        try (InputStream in =
                ReviewerCandidateOrderTest.class.getResourceAsStream("/reviewers/candidate-order-cases.json")) {
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : new ObjectMapper().readTree(in).get("cases")) {
                List<Candidate> candidates = new ArrayList<>();
                for (JsonNode x : c.get("candidates")) {
                    JsonNode last = x.get("last_activity_time");
                    candidates.add(new Candidate(
                            x.get("user_id").longValue(),
                            x.get("lookback_activity").longValue(),
                            last.isNull() ? ReviewerCandidateOrder.NO_ACTIVITY : last.longValue()));
                }
                List<Long> expected = new ArrayList<>();
                c.get("expected").forEach(id -> expected.add(id.longValue()));
                cases.add(new Case(c.get("name").textValue(), c.get("max").intValue(), candidates, expected));
            }
            return cases;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read reviewers/candidate-order-cases.json", e);
        }
    }
}
