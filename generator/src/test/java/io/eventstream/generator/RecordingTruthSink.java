package io.eventstream.generator;

import java.util.ArrayList;
import java.util.List;

/** Keeps the ground truth in memory for assertions. */
final class RecordingTruthSink implements TruthSink {
    final List<SpammerTruth> spammers = new ArrayList<>();
    final List<ReviewerAssignmentTruth> assignments = new ArrayList<>();

    @Override
    public void spammer(SpammerTruth truth) {
        spammers.add(truth);
    }

    @Override
    public void reviewerAssignment(ReviewerAssignmentTruth truth) {
        assignments.add(truth);
    }
}
