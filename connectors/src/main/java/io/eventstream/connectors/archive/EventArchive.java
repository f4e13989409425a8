package io.eventstream.connectors.archive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The raw event archive: every valid canonical event as one row of the {@code events} dataset under
 * the archive's own root ({@code <archive.root>/events/v<N>/dt=YYYY-MM-DD/hour=HH/}), partitioned by
 * the event's time (an event that arrives after its hour was marked complete goes to a later hour,
 * so a complete hour never changes; {@code time} keeps its true time). The envelope is in columns, the normalized {@code data} is its canonical JSON
 * (lossless: {@link #toRawEvent} gives back the structured-mode record the job would have read), and
 * the Kafka topic, partition and offset the event was read at are kept so a replay can switch to
 * Kafka exactly after the archived records (see {@link ArchiveCut}).
 */
public final class EventArchive {

    /** Dataset name of the archive. */
    public static final String DATASET = "events";

    private static final DatasetSchema SCHEMA = new DatasetSchema(
            DATASET,
            List.of(
                    Column.required("source", ColumnType.STRING, "CloudEvents source: the GitLab instance URI"),
                    Column.required("id", ColumnType.STRING, "CloudEvents id, unique per source"),
                    Column.required("type", ColumnType.STRING, "event type, e.g. com.gitlab.note.created.v1"),
                    Column.required("time", ColumnType.TIMESTAMP_MILLIS, "event time (UTC); the hour partition"),
                    Column.required(
                            "time_nanos",
                            ColumnType.INT,
                            "nanoseconds of time past its millisecond (0 for millisecond precision), so time survives exactly"),
                    Column.nullable(
                            "subject", ColumnType.STRING, "the object the event is about, e.g. projects/42/issues/7"),
                    Column.nullable("partitionkey", ColumnType.STRING, "extension partitionkey: the Kafka key"),
                    Column.nullable(
                            "recordedtime",
                            ColumnType.TIMESTAMP_MILLIS,
                            "extension recordedtime: when it was ingested (UTC)"),
                    Column.nullable(
                            "recordedtime_nanos", ColumnType.INT, "nanoseconds of recordedtime past its millisecond"),
                    Column.nullable("dataschema", ColumnType.STRING, "URI of the data's JSON Schema"),
                    Column.required(
                            "data",
                            ColumnType.STRING,
                            "the normalized data as canonical JSON (snake_case, nulls omitted); holds personal data and text"),
                    Column.nullable(
                            "kafka_topic", ColumnType.STRING, "topic the event was read from; null for file input"),
                    Column.nullable("kafka_partition", ColumnType.INT, "Kafka partition; null for file input"),
                    Column.nullable("kafka_offset", ColumnType.LONG, "Kafka offset; null for file input"),
                    Column.required(
                            "partition_time",
                            ColumnType.TIMESTAMP_MILLIS,
                            "the time that chose the hour partition: time, except for an event that arrived after its hour "
                                    + "was marked complete, which goes to an hour still being written")),
            "partition_time");

    static final int SOURCE = 0,
            ID = 1,
            TYPE = 2,
            TIME = 3,
            TIME_NANOS = 4,
            SUBJECT = 5,
            PARTITION_KEY = 6,
            RECORDED_TIME = 7,
            RECORDED_TIME_NANOS = 8,
            DATASCHEMA = 9,
            DATA = 10,
            KAFKA_TOPIC = 11,
            KAFKA_PARTITION = 12,
            KAFKA_OFFSET = 13,
            PARTITION_TIME = 14;

    /** Prefix of the origin of records read back from the archive: {@code archive:<original origin>}. */
    public static final String ORIGIN_PREFIX = "archive:";

    private static final Pattern KAFKA_ORIGIN = Pattern.compile("kafka:(.+)/(\\d+)@(\\d+)");
    private static final JsonFactory JSON = new JsonFactory();

    private EventArchive() {}

    /** Columns of the archive, partitioned by {@code time}. */
    public static DatasetSchema schema() {
        return SCHEMA;
    }

    /**
     * The archive row of a valid event read from {@code origin} (a {@link RawEvent#origin}): the Kafka
     * columns are filled when it is {@code kafka:<topic>/<partition>@<offset>}.
     *
     * @param partitionTime the time whose hour partition the row goes to (see the column)
     * @param mapper        the canonical mapper ({@link CloudEventJson#newMapper()}), which writes {@code data}
     */
    public static Object[] toRow(CloudEvent event, String origin, long partitionTime, ObjectMapper mapper) {
        String data;
        try {
            data = mapper.writeValueAsString(event.data());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        Instant recorded = event.recordedTime();
        Object[] row = new Object[SCHEMA.columns().size()];
        row[SOURCE] = event.source();
        row[ID] = event.id();
        row[TYPE] = event.type().type();
        row[TIME] = event.time().toEpochMilli();
        row[TIME_NANOS] = event.time().getNano() % 1_000_000;
        row[SUBJECT] = event.subject();
        row[PARTITION_KEY] = event.partitionKey();
        row[RECORDED_TIME] = recorded == null ? null : recorded.toEpochMilli();
        row[RECORDED_TIME_NANOS] = recorded == null ? null : recorded.getNano() % 1_000_000;
        row[DATASCHEMA] = event.dataschema();
        row[DATA] = data;
        Matcher kafka = origin == null ? null : KAFKA_ORIGIN.matcher(origin);
        if (kafka != null && kafka.matches()) {
            row[KAFKA_TOPIC] = kafka.group(1);
            row[KAFKA_PARTITION] = Integer.parseInt(kafka.group(2));
            row[KAFKA_OFFSET] = Long.parseLong(kafka.group(3));
        }
        row[PARTITION_TIME] = partitionTime;
        return row;
    }

    /**
     * The record a job reads back for an archive row: the structured-mode CloudEvent (the bytes
     * {@link CloudEventJson#write} gives for the event, with {@code data} copied as archived) and
     * origin {@code archive:kafka:<topic>/<partition>@<offset>} (or {@code archive:<source>/<id>}
     * for events archived from files).
     */
    public static RawEvent toRawEvent(Object[] row) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + ((String) row[DATA]).length());
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("specversion", CloudEvent.SPEC_VERSION);
            out.writeStringField("id", (String) row[ID]);
            out.writeStringField("source", (String) row[SOURCE]);
            out.writeStringField("type", (String) row[TYPE]);
            out.writeStringField(
                    "time", CloudEventJson.formatTime(instant((Long) row[TIME], (Integer) row[TIME_NANOS])));
            if (row[SUBJECT] != null) {
                out.writeStringField("subject", (String) row[SUBJECT]);
            }
            out.writeStringField("datacontenttype", CloudEvent.DATA_CONTENT_TYPE);
            if (row[DATASCHEMA] != null) {
                out.writeStringField("dataschema", (String) row[DATASCHEMA]);
            }
            if (row[RECORDED_TIME] != null) {
                out.writeStringField(
                        "recordedtime", CloudEventJson.formatTime(instant((Long) row[RECORDED_TIME], (Integer)
                                row[RECORDED_TIME_NANOS])));
            }
            if (row[PARTITION_KEY] != null) {
                out.writeStringField("partitionkey", (String) row[PARTITION_KEY]);
            }
            out.writeFieldName("data");
            out.writeRawValue((String) row[DATA]);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] value = bytes.toByteArray();
        String origin = row[KAFKA_TOPIC] != null
                ? "kafka:" + row[KAFKA_TOPIC] + "/" + row[KAFKA_PARTITION] + "@" + row[KAFKA_OFFSET]
                : row[SOURCE] + "/" + row[ID];
        byte[] key = row[PARTITION_KEY] == null ? null : ((String) row[PARTITION_KEY]).getBytes(StandardCharsets.UTF_8);
        return RawEvent.of(value, key, null, ORIGIN_PREFIX + origin);
    }

    private static Instant instant(long millis, Integer nanosPastMilli) {
        return Instant.ofEpochMilli(millis).plusNanos(nanosPastMilli == null ? 0 : nanosPastMilli);
    }
}
