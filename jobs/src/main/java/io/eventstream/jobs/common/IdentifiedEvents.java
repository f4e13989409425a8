package io.eventstream.jobs.common;

import io.eventstream.features.events.CloudEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/**
 * What crosses the network between decoding and deduplication: an event's identity ({@code source},
 * {@code id}), a digest of its content ({@link io.eventstream.features.events.EventDigest}), its time,
 * where it came from, and what the job reduced it to (its payloads: flat POJOs or rows, any of them
 * null). The {@link CloudEvent} itself never crosses it (no text body leaves the decoding operator).
 *
 * <p>A {@link Row} with a {@link RowTypeInfo}, not a POJO: the spam job's label payload is itself a
 * row, and a POJO field of type {@code Row} would fall back to Kryo.
 */
public final class IdentifiedEvents {
    public static final int SOURCE = 0;
    public static final int ID = 1;
    public static final int DIGEST = 2;
    public static final int TIME = 3;
    public static final int ORIGIN = 4;
    public static final int SIZE = 5;
    /** Index of the first payload. */
    public static final int PAYLOAD = 6;

    private IdentifiedEvents() {}

    /** The row type for payloads of these types, in order. */
    public static RowTypeInfo typeInfo(TypeInformation<?>... payloads) {
        List<TypeInformation<?>> types =
                new ArrayList<>(List.of(Types.STRING, Types.STRING, Types.LONG, Types.LONG, Types.STRING, Types.LONG));
        types.addAll(List.of(payloads));
        return new RowTypeInfo(types.toArray(new TypeInformation<?>[0]));
    }

    /** The row of an event with its payloads. */
    public static Row of(CloudEvent event, long digest, String origin, long size, Object... payloads) {
        Row row = new Row(PAYLOAD + payloads.length);
        row.setField(SOURCE, event.source());
        row.setField(ID, event.id());
        row.setField(DIGEST, digest);
        row.setField(TIME, event.timeMillis());
        row.setField(ORIGIN, origin);
        row.setField(SIZE, size);
        for (int i = 0; i < payloads.length; i++) {
            row.setField(PAYLOAD + i, payloads[i]);
        }
        return row;
    }

    /** The deduplication key: {@code source} and {@code id}, unambiguously joined (the source's length first). */
    public static String key(Row row) {
        String source = (String) row.getField(SOURCE);
        return source.length() + ":" + source + row.getField(ID);
    }

    /** A payload by position (0 for the first). */
    @SuppressWarnings("unchecked")
    public static <T> T payload(Row row, int index) {
        return (T) row.getField(PAYLOAD + index);
    }
}
