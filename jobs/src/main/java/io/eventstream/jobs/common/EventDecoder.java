package io.eventstream.jobs.common;

import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.Decoded;

/**
 * Turns a raw source record into a canonical event, structured or binary mode, or into the error
 * that makes it a dead letter (see {@code DeadLetter.of}). Never throws on bad input. One instance
 * per operator: it holds the Jackson mapper, which is costly to build.
 */
public final class EventDecoder {
    private final CloudEventJson json;

    public EventDecoder(int maxBytes) {
        this.json = new CloudEventJson(maxBytes);
    }

    public Decoded<CloudEvent> decode(RawEvent raw) {
        return raw.isBinaryMode() ? json.readBinary(raw.headerMap(), raw.value) : json.read(raw.value);
    }
}
