package io.eventstream.features.events;

import java.util.Objects;

/**
 * The result of decoding one record: an event or the reason it is not one. Decoding never throws
 * on bad input.
 */
public final class Decoded<T> {
    private final T value;
    private final EventError error;

    private Decoded(T value, EventError error) {
        this.value = value;
        this.error = error;
    }

    public static <T> Decoded<T> ok(T value) {
        return new Decoded<>(Objects.requireNonNull(value), null);
    }

    public static <T> Decoded<T> failed(EventError error) {
        return new Decoded<>(null, Objects.requireNonNull(error));
    }

    public static <T> Decoded<T> failed(ReasonCode reason, String message) {
        return failed(EventError.of(reason, message));
    }

    public boolean isOk() {
        return error == null;
    }

    /** The decoded value; throws when decoding failed. */
    public T value() {
        if (error != null) {
            throw new IllegalStateException("not decoded: " + error);
        }
        return value;
    }

    /** The error; null when decoding succeeded. */
    public EventError error() {
        return error;
    }

    @Override
    public String toString() {
        return isOk() ? "ok(" + value + ")" : "failed(" + error + ")";
    }
}
