package io.eventstream.features.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A 64-bit digest of what an event says, to tell a redelivery (same {@code source} and {@code id},
 * same content) from a conflict (same identity, different content). It covers the type, the time,
 * the subject and the data in canonical JSON, not the identity itself, nor how or when the event was
 * delivered ({@code recordedtime}, {@code partitionkey}, {@code dataschema}, structured or binary
 * mode): a redelivery through another gateway or in another mode is still the same event.
 *
 * <p>SHA-256 truncated to 64 bits: stable across JVMs and releases (it is kept in checkpointed state),
 * and a chance collision between two versions of one event id is negligible. Not thread-safe: one
 * per operator.
 */
public final class EventDigest {
    private final ObjectMapper mapper = CloudEventJson.newMapper();
    private final MessageDigest sha256;

    public EventDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public long of(CloudEvent event) {
        sha256.reset();
        sha256.update(event.type().type().getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        long seconds = event.time().getEpochSecond();
        int nanos = event.time().getNano();
        for (int shift = 56; shift >= 0; shift -= 8) {
            sha256.update((byte) (seconds >>> shift));
        }
        for (int shift = 24; shift >= 0; shift -= 8) {
            sha256.update((byte) (nanos >>> shift));
        }
        if (event.subject() != null) {
            sha256.update((byte) 1);
            sha256.update(event.subject().getBytes(StandardCharsets.UTF_8));
        }
        sha256.update((byte) 0);
        try {
            sha256.update(mapper.writeValueAsBytes(event.data()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        byte[] digest = sha256.digest();
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (digest[i] & 0xFF);
        }
        return value;
    }
}
