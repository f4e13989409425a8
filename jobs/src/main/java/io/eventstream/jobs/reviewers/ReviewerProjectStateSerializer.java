package io.eventstream.jobs.reviewers;

import io.eventstream.features.reviewers.ReviewerProjectState;
import io.eventstream.jobs.common.CompactStateSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/** Flink serializer of a project's reviewer state: its own versioned encoding ({@link ReviewerProjectState#write}). */
public final class ReviewerProjectStateSerializer extends CompactStateSerializer<ReviewerProjectState> {
    private static final long serialVersionUID = 1L;

    public static final ReviewerProjectStateSerializer INSTANCE = new ReviewerProjectStateSerializer();

    @Override
    public ReviewerProjectState createInstance() {
        return new ReviewerProjectState();
    }

    @Override
    protected void write(ReviewerProjectState value, DataOutput out) throws IOException {
        value.write(out);
    }

    @Override
    protected ReviewerProjectState read(DataInput in) throws IOException {
        return ReviewerProjectState.read(in);
    }

    @Override
    protected ReviewerProjectState deepCopy(ReviewerProjectState value) {
        return value.copy();
    }

    @Override
    public TypeSerializerSnapshot<ReviewerProjectState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Savepoint compatibility: the encoding is versioned inside {@link ReviewerProjectState#write}. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ReviewerProjectState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
