package io.eventstream.connectors.deadletter;

import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.events.EventError;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A record that could not be decoded or validated, with why and where it came from. A Flink POJO
 * (public no-arg constructor, public fields of String and primitive types).
 *
 * <p>The raw bytes are kept (base64) so an operator can inspect and replay them: dead-letter outputs
 * can hold personal data and need the same access control as the input topic. At most
 * {@link #MAX_RAW_BYTES} bytes are kept; {@link #rawSize} is the original size.
 */
public class DeadLetter {

    /** Most raw bytes kept in {@link #rawBase64}: 64 KiB (about 87 KiB of base64). */
    public static final int MAX_RAW_BYTES = 64 * 1024;

    /** Where the record came from, as {@link RawEvent#origin}. */
    public String origin;
    /** The {@code ReasonCode} name, e.g. {@code MALFORMED_JSON}. */
    public String reason;
    /** JSON path of the offending field, e.g. {@code data.author_id}; null when not about one field. */
    public String field;
    /** What is wrong, without payload text or personal data. */
    public String message;
    /** The first (at most {@link #MAX_RAW_BYTES}) bytes of the record value, base64 (RFC 4648, padded). */
    public String rawBase64;
    /** Size in bytes of the whole record value at the source. */
    public long rawSize;
    /** When the job dead-lettered the record, epoch milliseconds. */
    public long ingestTime;

    public DeadLetter() {}

    public DeadLetter(String origin, String reason, String field, String message, String rawBase64, long rawSize,
            long ingestTime) {
        this.origin = origin;
        this.reason = reason;
        this.field = field;
        this.message = message;
        this.rawBase64 = rawBase64;
        this.rawSize = rawSize;
        this.ingestTime = ingestTime;
    }

    /** The dead letter of a raw record that failed with {@code error}. */
    public static DeadLetter of(RawEvent raw, EventError error, long ingestTime) {
        byte[] value = raw.value == null ? new byte[0] : raw.value;
        byte[] kept = value.length <= MAX_RAW_BYTES ? value : Arrays.copyOf(value, MAX_RAW_BYTES);
        return new DeadLetter(raw.origin, error.reason().name(), error.field(), error.message(),
                Base64.getEncoder().encodeToString(kept), Math.max(raw.valueSize, value.length), ingestTime);
    }

    /** The kept raw bytes (possibly a prefix of the original; compare their length with {@link #rawSize}). */
    public byte[] rawBytes() {
        return rawBase64 == null ? new byte[0] : Base64.getDecoder().decode(rawBase64);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter other
                && rawSize == other.rawSize
                && ingestTime == other.ingestTime
                && Objects.equals(origin, other.origin)
                && Objects.equals(reason, other.reason)
                && Objects.equals(field, other.field)
                && Objects.equals(message, other.message)
                && Objects.equals(rawBase64, other.rawBase64);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, reason, field, message, rawBase64, rawSize, ingestTime);
    }

    /** Without the raw bytes, which may hold personal data. */
    @Override
    public String toString() {
        return "DeadLetter{" + origin + " " + reason + (field == null ? "" : " at " + field) + ": " + message
                + ", " + rawSize + " bytes, at " + ingestTime + "}";
    }
}
