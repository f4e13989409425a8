package io.eventstream.connectors.source;

import io.eventstream.features.events.CloudEventJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns every Kafka record into exactly one {@link RawEvent} and never throws: a record that is not
 * an event still reaches the decoder, which gives it a reason code and a dead letter.
 *
 * <p>A tombstone (null value) becomes an empty value. Header values are read as UTF-8 (malformed
 * sequences become U+FFFD); headers other than {@code ce_*} and {@code content-type} are dropped, and
 * {@code content-type} alone (structured mode may carry it) does not make a record binary mode.
 */
public final class RawEventKafkaDeserializer implements KafkaRecordDeserializationSchema<RawEvent> {

    private static final long serialVersionUID = 1L;
    private static final byte[] EMPTY = new byte[0];

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawEvent> out) {
        out.collect(toRawEvent(record));
    }

    /** The event for one record. */
    public static RawEvent toRawEvent(ConsumerRecord<byte[], byte[]> record) {
        byte[] value = record.value() == null ? EMPTY : record.value();
        String origin = "kafka:" + record.topic() + "/" + record.partition() + "@" + record.offset();
        RawEvent raw = RawEvent.of(value, record.key(), ceHeaders(record), origin);
        if (record.timestamp() >= 0) { // -1: the record has no timestamp
            raw.timestamp = record.timestamp();
        }
        return raw;
    }

    private static String[] ceHeaders(ConsumerRecord<byte[], byte[]> record) {
        List<String> pairs = null;
        boolean anyCe = false;
        for (Header header : record.headers()) {
            String name = header.key();
            if (name == null || header.value() == null) {
                continue;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            boolean ce = lower.startsWith(CloudEventJson.HEADER_PREFIX);
            if (ce || lower.equals(CloudEventJson.CONTENT_TYPE_HEADER)) {
                if (pairs == null) {
                    pairs = new ArrayList<>();
                }
                pairs.add(name);
                pairs.add(new String(header.value(), StandardCharsets.UTF_8));
                anyCe |= ce;
            }
        }
        return anyCe ? pairs.toArray(new String[0]) : null;
    }

    @Override
    public TypeInformation<RawEvent> getProducedType() {
        return TypeInformation.of(RawEvent.class);
    }
}
