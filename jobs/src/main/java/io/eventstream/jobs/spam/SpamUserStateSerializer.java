package io.eventstream.jobs.spam;

import io.eventstream.features.spam.SpamUserState;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of a user's spam state, delegating to the state's own compact encoding so the
 * domain class stays Flink-free and never falls back to Kryo. With the heap state backend it is
 * used only for checkpoints and savepoints, not per event.
 */
public final class SpamUserStateSerializer extends TypeSerializerSingleton<SpamUserState> {
    private static final long serialVersionUID = 1L;

    public static final SpamUserStateSerializer INSTANCE = new SpamUserStateSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public SpamUserState createInstance() {
        return new SpamUserState();
    }

    @Override
    public SpamUserState copy(SpamUserState from) {
        return from.copy();
    }

    @Override
    public SpamUserState copy(SpamUserState from, SpamUserState reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SpamUserState record, DataOutputView target) throws IOException {
        record.write(target);
    }

    @Override
    public SpamUserState deserialize(DataInputView source) throws IOException {
        return SpamUserState.read(source);
    }

    @Override
    public SpamUserState deserialize(SpamUserState reuse, DataInputView source) throws IOException {
        return SpamUserState.read(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        SpamUserState.read(source).write(target);
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
