package io.eventstream.connectors.parquet;

import static io.eventstream.connectors.parquet.DatasetTestSupport.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/** Serialization guard: rows, reports and state serialize without Kryo. */
class DatasetRowsTest {

    private static SerializerConfigImpl noGenericTypes() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false); // creating a Kryo serializer now throws
        return config;
    }

    @Test
    void rowTypeHasOneNamedFieldPerColumnAndRoundTripsNulls() throws Exception {
        RowTypeInfo type = DatasetRows.typeInfo(SCHEMA);
        assertThat(type.getFieldNames())
                .containsExactly(
                        "event_id",
                        "event_time",
                        "user_id",
                        "project_id",
                        "text_length",
                        "uppercase_ratio",
                        "has_code_block",
                        "content_type");

        TypeSerializer<Row> serializer = type.createSerializer(noGenericTypes());
        Row row = DatasetTestSupport.row(10, 1_714_521_600_000L); // project_id and has_code_block null
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(row, out);
        Row copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(copy).isEqualTo(row);
        assertThat(copy.getField("project_id")).isNull();
    }

    @Test
    void reportsAndStateArePojos() {
        for (Class<?> type :
                new Class<?>[] {CommitReport.class, PendingFile.class, PartitionCommitter.EndedWriter.class}) {
            TypeInformation<?> info = TypeInformation.of(type);
            assertThat(info).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
            info.createSerializer(noGenericTypes()); // throws if any field needed Kryo
        }
    }

    @Test
    void endOfInputStateRoundTrips() throws Exception {
        PendingFile file = new PendingFile(3, "s3://b/d/part-1-x.parquet", 7_200_000L, new byte[] {4, 2}, 1);
        CommitReport report = CommitReport.endOfInput(1, 2, new long[] {7_200_000L}, new PendingFile[] {file});
        PartitionCommitter.EndedWriter ended = new PartitionCommitter.EndedWriter(report);
        ended.coveringCheckpoint = 9;

        PartitionCommitter.EndedWriter copy = roundTrip(ended, PartitionCommitter.EndedWriter.class);
        assertThat(copy.subtask).isEqualTo(1);
        assertThat(copy.numberOfSubtasks).isEqualTo(2);
        assertThat(copy.coveringCheckpoint).isEqualTo(9);
        assertThat(copy.files).containsExactly(file);
        CommitReport reportCopy = roundTrip(report, CommitReport.class);
        assertThat(reportCopy.endOfInput).isTrue();
        assertThat(reportCopy.partitions).containsExactly(7_200_000L);
        assertThat(reportCopy.uncommittedFiles).containsExactly(file);
    }

    private static <T> T roundTrip(T value, Class<T> type) throws Exception {
        TypeSerializer<T> serializer = TypeInformation.of(type).createSerializer(noGenericTypes());
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
