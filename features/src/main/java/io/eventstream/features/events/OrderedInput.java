package io.eventstream.features.events;

/**
 * An input of a keyed feature engine, applied per key in {@code (time, id)} order: what the ordering,
 * late-event and dead-letter plumbing of the jobs needs to know of it, whatever job it feeds. The
 * inputs are flat Flink POJOs; Flink serializes these two fields with each subclass's own.
 */
public abstract class OrderedInput {
    /** CloudEvent id; second part of the apply order, and the id of the input's late row. */
    public String eventId;
    /** Event time, epoch millis; first part of the apply order. */
    public long timeMillis;

    /** The key whose state the input updates (a user for spam, a project for reviewers). */
    public abstract long key();

    /** The apply order: time, then event id. */
    public static int compareOrder(OrderedInput a, OrderedInput b) {
        int byTime = Long.compare(a.timeMillis, b.timeMillis);
        return byTime != 0 ? byTime : a.eventId.compareTo(b.eventId);
    }
}
