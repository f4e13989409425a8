package io.eventstream.jobs.spam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.jobs.common.CompactStateSerializer;
import io.eventstream.jobs.testing.EventInputs;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.RowSets;
import io.eventstream.jobs.testing.SpamJobRun;
import io.eventstream.jobs.testing.SpamTestData;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedBackendSerializationProxy;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot.CommonSerializerKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serialization guard: records and state are serialized by Flink's POJO serializer or by the
 * job's own serializer, never by a silent Kryo fallback.
 */
@ExtendWith(FlinkTestCluster.class)
class SpamSerializationTest {

    @Test
    void recordTypesArePojosWithoutGenericFields() {
        for (Class<?> type : List.of(SpamInput.class, RawEvent.class, DeadLetter.class)) {
            TypeInformation<?> info = TypeInformation.of(type);
            assertThat(info).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
            PojoTypeInfo<?> pojo = (PojoTypeInfo<?>) info;
            for (int i = 0; i < pojo.getArity(); i++) {
                assertThat(pojo.getTypeAt(i))
                        .as(type.getSimpleName() + "."
                                + pojo.getPojoFieldAt(i).getField().getName())
                        .isNotInstanceOf(GenericTypeInfo.class);
            }
        }
    }

    @Test
    void checkpointedStateUsesThePojoAndTheSpamUserStateSerializers() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = SpamFeatureFunctionHarnessTest.harness()) {
            harness.open();
            List<SpamInput> inputs = SpamFeatureFunctionHarnessTest.generatedInputs(2_000);
            for (SpamInput input : inputs) {
                harness.processElement(input, input.timeMillis);
            }
            // About half of the events applied, the rest still buffered: every kind of state is in the snapshot.
            harness.processWatermark(inputs.get(inputs.size() / 2).timeMillis);
            snapshot = harness.snapshot(1L, 1L);
        }
        Map<String, TypeSerializer<?>> valueSerializers = new HashMap<>();
        for (KeyedStateHandle handle : snapshot.getManagedKeyedState()) {
            KeyedBackendSerializationProxy<Long> proxy =
                    new KeyedBackendSerializationProxy<>(getClass().getClassLoader());
            try (InputStream in = ((KeyGroupsStateHandle) handle).openInputStream()) {
                proxy.read(new DataInputViewStreamWrapper(in));
            }
            for (StateMetaInfoSnapshot state : proxy.getStateMetaInfoSnapshots()) {
                if (state.getBackendStateType() == StateMetaInfoSnapshot.BackendStateType.KEY_VALUE) {
                    valueSerializers.put(
                            state.getName(),
                            state.getTypeSerializerSnapshot(CommonSerializerKeys.VALUE_SERIALIZER)
                                    .restoreSerializer());
                }
            }
        }
        assertThat(valueSerializers).containsOnlyKeys("spam-user", "ordered-buffer", "expiry-timer");
        assertThat(valueSerializers.get("spam-user")).isSameAs(CompactStateSerializer.SPAM_USER);
        assertThat(valueSerializers.get("expiry-timer")).isInstanceOf(LongSerializer.class);
        // The buffer is keyed by due time, its values the inputs due then.
        assertThat(valueSerializers.get("ordered-buffer"))
                .isInstanceOfSatisfying(
                        MapSerializer.class,
                        map -> assertThat(map.getValueSerializer())
                                .isInstanceOfSatisfying(
                                        ListSerializer.class,
                                        list -> assertThat(list.getElementSerializer())
                                                .isInstanceOf(PojoSerializer.class)));
    }

    @Test
    void theJobRunsWithGenericTypesDisabled(@TempDir Path out) throws Exception {
        // The guard is real: with generic types disabled, a type that needs Kryo cannot get a serializer.
        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false);
        assertThatThrownBy(() -> new GenericTypeInfo<>(Object.class).createSerializer(noKryo))
                .isInstanceOf(UnsupportedOperationException.class);

        // JobUnderTest sets pipeline.generic-types: false for every run; this one is small and checked in full.
        List<CloudEvent> events = SpamTestData.events().subList(0, 5_000);
        Path file = EventInputs.writeJsonLines(
                Files.createDirectories(out.resolve("in")).resolve("events.jsonl"), events);
        SpamJobRun run =
                JobUnderTest.files(SpamTestData.JOB, file).parallelism(2).run(out.resolve("run"));
        SpamTestData.Expected expected = SpamTestData.Expected.of(events);
        assertThat(expected.features()).hasSizeGreaterThan(1_000);
        RowSets.assertSameRows(
                "spam_features",
                SpamTestData.FEATURE_SET.featureSchema(),
                "event_id",
                expected.features(),
                run.features());
    }
}
