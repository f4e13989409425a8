package io.eventstream.jobs.common;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of a domain state value that encodes itself (versioned, compact), so the
 * domain class stays Flink-free and never falls back to Kryo. With the heap state backend it is
 * used only for checkpoints and savepoints, not per event. One subclass per state type, each with
 * a {@code SimpleTypeSerializerSnapshot} so savepoints can find it again.
 */
public abstract class CompactStateSerializer<T> extends TypeSerializerSingleton<T> {
    private static final long serialVersionUID = 1L;

    protected abstract void write(T value, DataOutput out) throws IOException;

    protected abstract T read(DataInput in) throws IOException;

    protected abstract T deepCopy(T value);

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public T copy(T from) {
        return deepCopy(from);
    }

    @Override
    public T copy(T from, T reuse) {
        return deepCopy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
        write(record, target);
    }

    @Override
    public T deserialize(DataInputView source) throws IOException {
        return read(source);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return read(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        write(read(source), target);
    }
}
