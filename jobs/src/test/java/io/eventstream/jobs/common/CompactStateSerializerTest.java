package io.eventstream.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstream.features.spam.SpamUserState;
import io.eventstream.features.windows.SortedLongSet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The one serializer of self-encoding state values: each instance found again by its snapshot and by Java serialization. */
class CompactStateSerializerTest {
    private static final List<CompactStateSerializer<?>> ALL = List.of(
            CompactStateSerializer.SPAM_USER,
            CompactStateSerializer.REVIEWER_HEADER,
            CompactStateSerializer.REVIEWER_USER,
            CompactStateSerializer.REVIEWER_MERGE_REQUEST,
            CompactStateSerializer.REVIEWER_BRANCH,
            CompactStateSerializer.MERGE_REQUEST_IIDS,
            CompactStateSerializer.REVIEWER_TILES,
            CompactStateSerializer.REVIEWER_PROJECT);

    @Test
    void aSnapshotWrittenAndReadBackRestoresTheSameInstanceAndIsCompatibleOnlyWithItself() throws Exception {
        for (CompactStateSerializer<?> serializer : ALL) {
            TypeSerializerSnapshot<?> restored = writtenAndRead(serializer.snapshotConfiguration());
            assertThat(restored.restoreSerializer()).as(serializer.toString()).isSameAs(serializer);
            for (CompactStateSerializer<?> other : ALL) {
                assertThat(compatible(other, restored))
                        .as(other + " with a snapshot of " + serializer)
                        .isEqualTo(other == serializer);
            }
        }
    }

    @Test
    void javaSerializationResolvesToTheNamedInstance() throws Exception {
        for (CompactStateSerializer<?> serializer : ALL) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(serializer);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                assertThat(in.readObject()).isSameAs(serializer);
            }
        }
    }

    @Test
    void valuesRoundTripThroughTheDomainEncoding() throws Exception {
        SortedLongSet iids = new SortedLongSet();
        iids.add(7);
        iids.add(3);
        DataOutputSerializer out = new DataOutputSerializer(64);
        CompactStateSerializer.MERGE_REQUEST_IIDS.serialize(iids, out);
        SortedLongSet read =
                CompactStateSerializer.MERGE_REQUEST_IIDS.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(read.size()).isEqualTo(2);
        assertThat(read.get(0)).isEqualTo(3);
        assertThat(read.get(1)).isEqualTo(7);
        assertThat(CompactStateSerializer.MERGE_REQUEST_IIDS.copy(iids)).isNotSameAs(iids);
        assertThat(CompactStateSerializer.SPAM_USER.createInstance()).isInstanceOf(SpamUserState.class);
    }

    @Test
    void aSnapshotOfAStateTypeThisBuildDoesNotKnowFailsNamingIt() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(32);
        out.writeUTF("no-such-state");
        CompactStateSerializer.Snapshot<Object> snapshot = new CompactStateSerializer.Snapshot<>();
        snapshot.readSnapshot(
                1, new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThatThrownBy(snapshot::restoreSerializer)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no state serializer named no-such-state in this build");
    }

    private static TypeSerializerSnapshot<?> writtenAndRead(TypeSerializerSnapshot<?> snapshot) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), CompactStateSerializerTest.class.getClassLoader());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean compatible(TypeSerializer<?> serializer, TypeSerializerSnapshot<?> old) {
        TypeSerializerSnapshot current = serializer.snapshotConfiguration();
        return current.resolveSchemaCompatibility(old).isCompatibleAsIs();
    }
}
