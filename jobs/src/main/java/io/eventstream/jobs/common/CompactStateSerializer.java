package io.eventstream.jobs.common;

import io.eventstream.features.reviewers.ReviewerProjectState;
import io.eventstream.features.reviewers.ReviewerState;
import io.eventstream.features.reviewers.ReviewerState.BranchRecord;
import io.eventstream.features.reviewers.ReviewerState.Header;
import io.eventstream.features.reviewers.ReviewerState.MergeRequestRecord;
import io.eventstream.features.reviewers.ReviewerState.UserRecord;
import io.eventstream.features.spam.SpamUserState;
import io.eventstream.features.windows.SortedLongSet;
import io.eventstream.features.windows.TileSeries;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of a domain state value that encodes itself (versioned, compact), so the domain
 * class stays Flink-free and never falls back to Kryo. With the heap state backend it is used only
 * for checkpoints, savepoints and copies; with RocksDB on every read and write.
 *
 * <p>One class serves every state type, each an instance below, named. Its {@link Snapshot} (what a
 * checkpoint or savepoint records of a state's serializer) holds that name, and restoring looks the
 * instance up by it: the domain encodings carry their own versions, so a name is all a snapshot
 * needs. A new state type is one more instance in {@link #ALL}.
 *
 * @param <T> the state value's type
 */
public final class CompactStateSerializer<T> extends TypeSerializer<T> {
    private static final long serialVersionUID = 1L;

    /** A user's spam state ({@link SpamUserState#write}). */
    public static final CompactStateSerializer<SpamUserState> SPAM_USER = new CompactStateSerializer<>(
            "spam-user-state", SpamUserState::new, SpamUserState::write, SpamUserState::read, SpamUserState::copy);

    /** The header of a project's reviewer state. */
    public static final CompactStateSerializer<Header> REVIEWER_HEADER =
            new CompactStateSerializer<>("reviewer-header", Header::new, Header::write, Header::read, Header::copy);

    /** A user record of a project's reviewer state. */
    public static final CompactStateSerializer<UserRecord> REVIEWER_USER = new CompactStateSerializer<>(
            "reviewer-user", UserRecord::new, UserRecord::write, UserRecord::read, UserRecord::copy);

    /** A merge-request record of a project's reviewer state. */
    public static final CompactStateSerializer<MergeRequestRecord> REVIEWER_MERGE_REQUEST =
            new CompactStateSerializer<>(
                    "reviewer-merge-request",
                    MergeRequestRecord::new,
                    MergeRequestRecord::write,
                    MergeRequestRecord::read,
                    MergeRequestRecord::copy);

    /** A branch record of a project's reviewer state. */
    public static final CompactStateSerializer<BranchRecord> REVIEWER_BRANCH = new CompactStateSerializer<>(
            "reviewer-branch", BranchRecord::new, BranchRecord::write, BranchRecord::read, BranchRecord::copy);

    /** The merge-request iids of an index entry of a project's reviewer state. */
    public static final CompactStateSerializer<SortedLongSet> MERGE_REQUEST_IIDS = new CompactStateSerializer<>(
            "merge-request-iids", SortedLongSet::new, SortedLongSet::write, SortedLongSet::read, SortedLongSet::copy);

    /** The tile series of one key of a reviewer tile group. */
    public static final CompactStateSerializer<TileSeries[]> REVIEWER_TILES = new CompactStateSerializer<>(
            "reviewer-tiles",
            () -> new TileSeries[0],
            (series, out) -> ReviewerState.writeTiles(out, series),
            ReviewerState::readTiles,
            ReviewerState::copyTiles);

    /** A project's whole reviewer state in one value ({@link ReviewerProjectState#write}): the heap backend's layout. */
    public static final CompactStateSerializer<ReviewerProjectState> REVIEWER_PROJECT = new CompactStateSerializer<>(
            "reviewer-project-value",
            ReviewerProjectState::new,
            ReviewerProjectState::write,
            ReviewerProjectState::read,
            ReviewerProjectState::copy);

    private static final List<CompactStateSerializer<?>> ALL = List.of(
            SPAM_USER,
            REVIEWER_HEADER,
            REVIEWER_USER,
            REVIEWER_MERGE_REQUEST,
            REVIEWER_BRANCH,
            MERGE_REQUEST_IIDS,
            REVIEWER_TILES,
            REVIEWER_PROJECT);

    @FunctionalInterface
    private interface Writer<T> {
        void write(T value, DataOutput out) throws IOException;
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(DataInput in) throws IOException;
    }

    private final String name;
    // Not serialized: a deserialized instance resolves to the named one (readResolve).
    private final transient Supplier<T> create;
    private final transient Writer<T> writer;
    private final transient Reader<T> reader;
    private final transient UnaryOperator<T> deepCopy;

    private CompactStateSerializer(
            String name, Supplier<T> create, Writer<T> writer, Reader<T> reader, UnaryOperator<T> deepCopy) {
        this.name = name;
        this.create = create;
        this.writer = writer;
        this.reader = reader;
        this.deepCopy = deepCopy;
    }

    /** The instance of that name; fails for a name no instance has (a state type this build does not know). */
    static CompactStateSerializer<?> named(String name) {
        for (CompactStateSerializer<?> serializer : ALL) {
            if (serializer.name.equals(name)) {
                return serializer;
            }
        }
        throw new IllegalStateException("no state serializer named " + name + " in this build");
    }

    private Object readResolve() {
        return named(name);
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<T> duplicate() {
        // Stateless: one instance serves every thread.
        return this;
    }

    @Override
    public T createInstance() {
        return create.get();
    }

    @Override
    public T copy(T from) {
        return deepCopy.apply(from);
    }

    @Override
    public T copy(T from, T reuse) {
        return deepCopy.apply(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
        writer.write(record, target);
    }

    @Override
    public T deserialize(DataInputView source) throws IOException {
        return reader.read(source);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return reader.read(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        writer.write(reader.read(source), target);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CompactStateSerializer<?> serializer && serializer.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "CompactStateSerializer[" + name + "]";
    }

    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new Snapshot<>(name);
    }

    /** What a checkpoint or savepoint records of the serializer: its name. */
    public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {
        private static final int VERSION = 1;
        private String name;

        /** For Flink, which reads the name with {@link #readSnapshot}. */
        public Snapshot() {}

        Snapshot(String name) {
            this.name = name;
        }

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(name);
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader)
                throws IOException {
            name = in.readUTF();
        }

        @Override
        @SuppressWarnings("unchecked")
        public TypeSerializer<T> restoreSerializer() {
            return (TypeSerializer<T>) named(name);
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
                TypeSerializerSnapshot<T> oldSerializerSnapshot) {
            return oldSerializerSnapshot instanceof Snapshot<T> old && name.equals(old.name)
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
