package io.eventstream.connectors.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.deadletter.DeadLetter;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** Records that cross operators are Flink POJOs whose fields need no Kryo. */
class PojoTypesTest {

    @Test
    void rawEventIsAPojoAndRoundTrips() throws Exception {
        RawEvent event =
                new RawEvent(new byte[] {1, 2, 3}, 7, new byte[] {9}, new String[] {"ce_id", "x"}, "kafka:t/0@1");
        event.timestamp = 1_709_287_200_250L;
        assertThat(roundTrip(RawEvent.class, event)).isEqualTo(event);
        RawEvent sparse = RawEvent.of(new byte[0], null, null, "file:/a:1");
        assertThat(roundTrip(RawEvent.class, sparse)).isEqualTo(sparse);
    }

    @Test
    void deadLetterIsAPojoAndRoundTrips() throws Exception {
        DeadLetter letter =
                new DeadLetter("file:/a:1", "MALFORMED_JSON", null, "bad", "039058c6f2c0cb49", 3, 1_700_000_000_000L);
        assertThat(roundTrip(DeadLetter.class, letter)).isEqualTo(letter);
        DeadLetter withRaw = DeadLetter.of(
                RawEvent.of(new byte[] {1, 2, 3}, null, null, "file:/a:1"),
                io.eventstream.features.events.EventError.of(
                        io.eventstream.features.events.ReasonCode.MALFORMED_JSON, "bad"),
                7L);
        assertThat(roundTrip(DeadLetter.class, withRaw)).isEqualTo(withRaw);
    }

    private static <T> T roundTrip(Class<T> type, T value) throws Exception {
        TypeInformation<T> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<T> pojo = (PojoTypeInfo<T>) info;
        for (int i = 0; i < pojo.getArity(); i++) {
            assertThat(pojo.getTypeAt(i))
                    .as(pojo.getPojoFieldAt(i).getField().getName())
                    .isNotInstanceOf(GenericTypeInfo.class);
        }
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<T> serializer = info.createSerializer(config);
        return InstantiationUtil.deserializeFromByteArray(
                serializer, InstantiationUtil.serializeToByteArray(serializer, value));
    }
}
