package io.eventstream.jobs.reviewers;

import io.eventstream.features.reviewers.ReviewerState;

/**
 * The reviewer state of the key Flink has set, in one of the job's two layouts: per entry
 * ({@link MapStateReviewerState}, for RocksDB) or the whole key in one value
 * ({@link ValueReviewerState}, for the heap backend). A keyed function calls {@link #setProject} at
 * the start of every callback that touches the state and {@link #flush} at its end.
 */
interface ReviewerKeyedState extends ReviewerState {
    /** Starts a callback of the key Flink has set: Flink does not hand the key to the state. */
    void setProject(long projectId);

    /** Ends the callback: stores what it changed that the layout keeps apart from the state. */
    void flush();
}
