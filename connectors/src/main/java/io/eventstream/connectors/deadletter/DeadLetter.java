package io.eventstream.connectors.deadletter;

import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.events.EventError;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A record that could not be decoded or validated: why, where it came from, its size and a digest of
 * its bytes. A Flink POJO (public no-arg constructor, public fields of String, primitive and array types).
 *
 * <p>No personal data leaves through a dead letter by default: the dead-letter dataset and topic get
 * {@link #origin}, {@link #reason}, {@link #field}, {@link #message}, {@link #rawSize},
 * {@link #rawSha256} and {@link #ingestTime}. The raw bytes ({@link #raw}) travel with the letter
 * only to the opt-in raw store ({@link RawDeadLetters}), a separate root with enforced retention.
 */
public class DeadLetter {

    /** Most raw bytes kept in {@link #raw}: 64 KiB. */
    public static final int MAX_RAW_BYTES = 64 * 1024;

    /** Where the record came from, as {@link RawEvent#origin}: {@code kafka:<topic>/<partition>@<offset>} or {@code file:<path>:<line>}. */
    public String origin;
    /** The {@code ReasonCode} name, e.g. {@code MALFORMED_JSON}. */
    public String reason;
    /** JSON path of the offending field, e.g. {@code data.author_id}; null when not about one field. */
    public String field;
    /** What is wrong, without payload text or personal data. */
    public String message;
    /** SHA-256 (lowercase hex) of the record's bytes as the source delivered them (for a capped file line, its first limit + 1 bytes). */
    public String rawSha256;
    /** Size in bytes of the whole record value at the source. */
    public long rawSize;
    /** When the job dead-lettered the record, epoch milliseconds. */
    public long ingestTime;
    /**
     * The first (at most {@link #MAX_RAW_BYTES}) bytes of the record value, for the opt-in raw store only;
     * null once dropped ({@link #withoutRaw()}). Never written to the dead-letter dataset or topic.
     */
    public byte[] raw;

    public DeadLetter() {}

    public DeadLetter(
            String origin,
            String reason,
            String field,
            String message,
            String rawSha256,
            long rawSize,
            long ingestTime) {
        this.origin = origin;
        this.reason = reason;
        this.field = field;
        this.message = message;
        this.rawSha256 = rawSha256;
        this.rawSize = rawSize;
        this.ingestTime = ingestTime;
    }

    /** The dead letter of a raw record that failed with {@code error}, its raw bytes attached. */
    public static DeadLetter of(RawEvent raw, EventError error, long ingestTime) {
        byte[] value = raw.value == null ? new byte[0] : raw.value;
        DeadLetter letter = new DeadLetter(
                raw.origin,
                error.reason().name(),
                error.field(),
                error.message(),
                sha256(value),
                Math.max(raw.valueSize, value.length),
                ingestTime);
        letter.raw = value.length <= MAX_RAW_BYTES ? value.clone() : Arrays.copyOf(value, MAX_RAW_BYTES);
        return letter;
    }

    /** This letter without its raw bytes (what every output but the raw store gets). */
    public DeadLetter withoutRaw() {
        return new DeadLetter(origin, reason, field, message, rawSha256, rawSize, ingestTime);
    }

    /** Lowercase hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
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
                && Objects.equals(rawSha256, other.rawSha256)
                && Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, reason, field, message, rawSha256, rawSize, ingestTime) * 31 + Arrays.hashCode(raw);
    }

    /** Without the raw bytes, which may hold personal data. */
    @Override
    public String toString() {
        return "DeadLetter{" + origin + " " + reason + (field == null ? "" : " at " + field) + ": " + message + ", "
                + rawSize + " bytes, sha256 " + rawSha256 + ", at " + ingestTime + "}";
    }
}
