package io.eventstream.generator;

/**
 * Receives the generator's ground truth, in simulation order, while events are generated. Used to
 * evaluate models trained on generated data (which users are spammers, why reviewers were chosen).
 */
public interface TruthSink {

    void spammer(SpammerTruth truth);

    void reviewerAssignment(ReviewerAssignmentTruth truth);

    /** A sink that drops everything. */
    static TruthSink discard() {
        return new TruthSink() {
            @Override
            public void spammer(SpammerTruth truth) {}

            @Override
            public void reviewerAssignment(ReviewerAssignmentTruth truth) {}
        };
    }
}
