package io.eventstream.gateway;

import java.util.List;

/**
 * The answer to one delivery.
 *
 * @param outcome  what happened
 * @param detail   a short reason without payload text (e.g. the dead-letter reason code), or null
 * @param eventIds the ids of the events produced for the delivery (empty unless accepted or duplicate)
 */
record HookOutcome(Outcome outcome, String detail, List<String> eventIds) {

    static HookOutcome of(Outcome outcome, String detail) {
        return new HookOutcome(outcome, detail, List.of());
    }

    HookOutcome asDuplicate() {
        return new HookOutcome(Outcome.DUPLICATE, null, eventIds);
    }
}
