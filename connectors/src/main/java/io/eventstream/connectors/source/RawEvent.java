package io.eventstream.connectors.source;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One input record before decoding: the bytes as they came, the CloudEvents binary-mode headers if
 * any, and where the record came from. Every source emits these and never drops or fails on a record;
 * deciding whether the bytes are a valid event is the decoder's business
 * ({@code CloudEventJson.read(value)} or, when {@link #isBinaryMode()}, {@code readBinary(headerMap(), value)}).
 *
 * <p>A Flink POJO (public no-arg constructor, public fields of array and String types only), so it
 * is serialized by Flink's POJO serializer, never by Kryo.
 */
public class RawEvent {

    /** The record value (Kafka value or file line, without the line terminator); never null. */
    public byte[] value = new byte[0];

    /**
     * Size in bytes of the value at the source. Larger than {@code value.length} when the source
     * capped an over-long value (the file source keeps the first {@code limit + 1} bytes of a line).
     */
    public long valueSize;

    /** The Kafka record key; null when there is none (and for files). */
    public byte[] key;

    /**
     * Binary-mode headers as flattened name/value pairs ({@code [name0, value0, name1, value1, ...]},
     * in record order): every {@code ce_*} header and {@code content-type}, values read as UTF-8.
     * Null when the record has no {@code ce_*} header (structured mode, or a file line).
     */
    public String[] ceHeaders;

    /**
     * Where the record came from: {@code kafka:<topic>/<partition>@<offset>} or
     * {@code file:<path>:<line>} (1-based line number). Identifies the record in dead letters.
     */
    public String origin;

    /**
     * When the record was recorded at the source, epoch millis: the Kafka record timestamp (producer
     * or broker time); {@link #NO_TIMESTAMP} when the source has none (files). The jobs compare the
     * event's time with it to refuse events dated in the future.
     */
    public long timestamp = NO_TIMESTAMP;

    /** {@link #timestamp} of a record whose source gives none. */
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    public RawEvent() {}

    public RawEvent(byte[] value, long valueSize, byte[] key, String[] ceHeaders, String origin) {
        this.value = value;
        this.valueSize = valueSize;
        this.key = key;
        this.ceHeaders = ceHeaders;
        this.origin = origin;
    }

    /** A record whose value arrived whole. */
    public static RawEvent of(byte[] value, byte[] key, String[] ceHeaders, String origin) {
        return new RawEvent(value, value.length, key, ceHeaders, origin);
    }

    /** True when the record carries binary-mode CloudEvents headers. */
    public boolean isBinaryMode() {
        return ceHeaders != null && ceHeaders.length > 0;
    }

    /** The binary-mode headers as a map in record order (a repeated name keeps its last value); empty if none. */
    public Map<String, String> headerMap() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (ceHeaders != null) {
            for (int i = 0; i + 1 < ceHeaders.length; i += 2) {
                headers.put(ceHeaders[i], ceHeaders[i + 1]);
            }
        }
        return headers;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawEvent other
                && valueSize == other.valueSize
                && timestamp == other.timestamp
                && Arrays.equals(value, other.value)
                && Arrays.equals(key, other.key)
                && Arrays.equals(ceHeaders, other.ceHeaders)
                && Objects.equals(origin, other.origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                Arrays.hashCode(value), valueSize, Arrays.hashCode(key), Arrays.hashCode(ceHeaders), origin, timestamp);
    }

    /** Origin and sizes only: the bytes may hold personal data and must not reach logs. */
    @Override
    public String toString() {
        return "RawEvent{" + origin + ", " + (value == null ? 0 : value.length) + "/" + valueSize + " bytes"
                + (key == null ? "" : ", key " + key.length + " bytes")
                + (ceHeaders == null ? "" : ", " + ceHeaders.length / 2 + " ce headers") + "}";
    }
}
