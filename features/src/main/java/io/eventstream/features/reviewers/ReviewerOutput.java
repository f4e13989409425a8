package io.eventstream.features.reviewers;

import java.util.ArrayList;
import java.util.List;

/**
 * What one applied event produced: candidate rows ({@link ReviewerFeatureSet#candidateSchema()}
 * order), label rows ({@link ReviewerFeatureSet#labelSchema()}), and online rows to upsert
 * ({@link ReviewerFeatureSet#onlineUserSchema()}, {@link ReviewerFeatureSet#onlinePathSchema()}).
 * Rows are {@code Object[]} with timestamps as {@code Long} epoch millis. Lists are in a
 * deterministic order: candidates by (MR iid, rank), labels as the event produced them, online
 * rows by key.
 */
public final class ReviewerOutput {
    private final List<Object[]> candidateRows = new ArrayList<>();
    private final List<Object[]> labelRows = new ArrayList<>();
    private final List<Object[]> onlineUserRows = new ArrayList<>();
    private final List<Object[]> onlinePathRows = new ArrayList<>();
    private final List<ReviewerTileWork> tileWork = new ArrayList<>();

    ReviewerOutput() {}

    public List<Object[]> candidateRows() {
        return candidateRows;
    }

    public List<Object[]> labelRows() {
        return labelRows;
    }

    public List<Object[]> onlineUserRows() {
        return onlineUserRows;
    }

    public List<Object[]> onlinePathRows() {
        return onlinePathRows;
    }

    /**
     * What {@link ReviewerFeatureEngine#applyProject} left to the project's user buckets, in bucket
     * order; empty from {@link ReviewerFeatureEngine#apply}.
     */
    public List<ReviewerTileWork> tileWork() {
        return tileWork;
    }

    public boolean isEmpty() {
        return candidateRows.isEmpty()
                && labelRows.isEmpty()
                && onlineUserRows.isEmpty()
                && onlinePathRows.isEmpty()
                && tileWork.isEmpty();
    }
}
