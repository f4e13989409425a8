package io.eventstream.generator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes ground truth as JSON lines: {@code {"kind":"spammer",...}} and
 * {@code {"kind":"reviewer_assignment",...}}, snake_case fields, times as ISO-8601 UTC. The stream is
 * not buffered here; pass a buffered one. {@link #close()} flushes and closes it.
 */
public final class JsonLinesTruthSink implements TruthSink, AutoCloseable {
    public static final String SPAMMER = "spammer";
    public static final String REVIEWER_ASSIGNMENT = "reviewer_assignment";

    private final OutputStream out;
    private final ObjectMapper mapper = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .build();
    private long lines;

    public JsonLinesTruthSink(OutputStream out) {
        this.out = out;
    }

    @Override
    public void spammer(SpammerTruth truth) {
        ObjectNode node = mapper.createObjectNode().put("kind", SPAMMER);
        node.put("user_id", truth.userId());
        node.put("style", truth.style().label());
        node.put("signed_up_at", truth.signedUpAt().toString());
        node.put("email_domain_class", truth.emailDomainClass());
        write(node);
    }

    @Override
    public void reviewerAssignment(ReviewerAssignmentTruth truth) {
        ObjectNode node = mapper.createObjectNode().put("kind", REVIEWER_ASSIGNMENT);
        node.put("event_id", truth.eventId());
        node.put("time", truth.time().toString());
        node.put("project_id", truth.projectId());
        node.put("merge_request_id", truth.mergeRequestId());
        node.put("merge_request_iid", truth.mergeRequestIid());
        node.put("author_id", truth.authorId());
        truth.previousReviewerIds().forEach(node.putArray("previous_reviewer_ids")::add);
        truth.reviewerIds().forEach(node.putArray("reviewer_ids")::add);
        var picks = node.putArray("picks");
        for (ReviewerPick pick : truth.picks()) {
            ObjectNode p = picks.addObject();
            p.put("user_id", pick.userId());
            p.put("reason", pick.reason().label());
            p.put("expertise", round(pick.expertise()));
            p.put("history", round(pick.history()));
            p.put("open_reviews", pick.openReviews());
            if (Double.isNaN(pick.score())) {
                p.putNull("score");
            } else {
                p.put("score", round(pick.score()));
            }
        }
        write(node);
    }

    /** Lines written so far. */
    public long lines() {
        return lines;
    }

    @Override
    public void close() {
        try (out) {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Four decimals keep the file readable; the values are diagnostics, not inputs. */
    private static double round(double value) {
        return Math.round(value * 10_000.0) / 10_000.0;
    }

    private void write(ObjectNode node) {
        try {
            out.write(mapper.writeValueAsBytes(node));
            out.write('\n');
            lines++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
