package io.eventstream.jobs.spam;

import io.eventstream.features.spam.SpamUserState;
import io.eventstream.jobs.common.CompactStateSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/** Flink serializer of a user's spam state: its own versioned encoding ({@link SpamUserState#write}). */
public final class SpamUserStateSerializer extends CompactStateSerializer<SpamUserState> {
    private static final long serialVersionUID = 1L;

    public static final SpamUserStateSerializer INSTANCE = new SpamUserStateSerializer();

    @Override
    public SpamUserState createInstance() {
        return new SpamUserState();
    }

    @Override
    protected void write(SpamUserState value, DataOutput out) throws IOException {
        value.write(out);
    }

    @Override
    protected SpamUserState read(DataInput in) throws IOException {
        return SpamUserState.read(in);
    }

    @Override
    protected SpamUserState deepCopy(SpamUserState value) {
        return value.copy();
    }

    @Override
    public TypeSerializerSnapshot<SpamUserState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Savepoint compatibility: the encoding is versioned inside {@link SpamUserState#write}. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SpamUserState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
