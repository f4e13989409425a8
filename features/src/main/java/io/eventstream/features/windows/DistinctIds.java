package io.eventstream.features.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Distinct ids (projects, reviewers, ...) of one entity over one or more windows.
 *
 * <p>Instead of a set of ids per tile it keeps each id once with the latest time it was seen: an id
 * is in the window at {@code t} exactly when it was last seen at or after the window's start (every
 * stored time is at or before t because adds come in order). So the count equals the size of the
 * union of per-tile sets, with one entry per id instead of one per id and tile, and one structure
 * serves every window. Entries are kept ordered by last-seen time, so a count is two binary
 * searches and ids no window can reach any more are dropped from the front.
 */
public final class DistinctIds {
    private final long[] lengths;
    private final long[] hops;

    private long[] ids = new long[0];
    private long[] lastSeen = new long[0];
    private int size;

    public DistinctIds(WindowSpec... windows) {
        this(
                Arrays.stream(windows).mapToLong(WindowSpec::lengthMillis).toArray(),
                Arrays.stream(windows).mapToLong(WindowSpec::hopMillis).toArray());
    }

    private DistinctIds(long[] lengths, long[] hops) {
        if (lengths.length == 0) {
            throw new IllegalArgumentException("at least one window");
        }
        this.lengths = lengths;
        this.hops = hops;
    }

    public int windows() {
        return lengths.length;
    }

    /** Records that {@code id} was seen at {@code timeMillis}. */
    public void add(long id, long timeMillis) {
        dropBefore(earliestStart(timeMillis));
        // Recently seen ids sit at the end, so a bursty user finds its id after a step or two.
        int found = -1;
        for (int i = size - 1; i >= 0; i--) {
            if (ids[i] == id) {
                found = i;
                break;
            }
        }
        if (found >= 0) {
            if (lastSeen[found] >= timeMillis) {
                return; // an out-of-order add never moves a last-seen time back
            }
            System.arraycopy(ids, found + 1, ids, found, size - found - 1);
            System.arraycopy(lastSeen, found + 1, lastSeen, found, size - found - 1);
            size--;
        } else if (size == ids.length) {
            int capacity = Math.max(4, size * 2);
            ids = Arrays.copyOf(ids, capacity);
            lastSeen = Arrays.copyOf(lastSeen, capacity);
        }
        // Keep entries ordered by last-seen time: in-order adds append, late ones are inserted.
        int pos = size;
        while (pos > 0 && lastSeen[pos - 1] > timeMillis) {
            pos--;
        }
        System.arraycopy(ids, pos, ids, pos + 1, size - pos);
        System.arraycopy(lastSeen, pos, lastSeen, pos + 1, size - pos);
        ids[pos] = id;
        lastSeen[pos] = timeMillis;
        size++;
    }

    /** Number of distinct ids in window {@code window} (constructor order) evaluated at {@code timeMillis}. */
    public int count(int window, long timeMillis) {
        long start = Math.floorDiv(timeMillis, hops[window]) * hops[window] - lengths[window];
        // Entries are ordered by last-seen time: count those in [start, timeMillis] by two binary searches.
        int end = timeMillis == Long.MAX_VALUE ? size : firstAtOrAfter(timeMillis + 1);
        return end - firstAtOrAfter(start);
    }

    private int firstAtOrAfter(long time) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (lastSeen[mid] < time) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private void dropBefore(long keepFrom) {
        int drop = firstAtOrAfter(keepFrom);
        if (drop > 0) {
            System.arraycopy(ids, drop, ids, 0, size - drop);
            System.arraycopy(lastSeen, drop, lastSeen, 0, size - drop);
            size -= drop;
        }
    }

    /** Drops ids no window evaluated after {@code watermarkMillis} can reach. */
    public void expire(long watermarkMillis) {
        dropBefore(earliestStart(watermarkMillis));
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int storedIds() {
        return size;
    }

    private long earliestStart(long timeMillis) {
        long earliest = Long.MAX_VALUE;
        for (int w = 0; w < lengths.length; w++) {
            earliest = Math.min(earliest, Math.floorDiv(timeMillis, hops[w]) * hops[w] - lengths[w]);
        }
        return earliest;
    }

    // ---------------------------------------------------------------- state

    public DistinctIds copy() {
        DistinctIds copy = new DistinctIds(lengths, hops);
        copy.ids = Arrays.copyOf(ids, size);
        copy.lastSeen = Arrays.copyOf(lastSeen, size);
        copy.size = size;
        return copy;
    }

    public void write(DataOutput out) throws IOException {
        Varints.writeUnsigned(out, lengths.length);
        for (int w = 0; w < lengths.length; w++) {
            Varints.writeUnsigned(out, lengths[w]);
            Varints.writeUnsigned(out, hops[w]);
        }
        Varints.writeUnsigned(out, size);
        long previous = 0;
        for (int i = 0; i < size; i++) {
            Varints.writeSigned(out, ids[i]);
            Varints.writeSigned(out, lastSeen[i] - previous); // ordered: small deltas
            previous = lastSeen[i];
        }
    }

    public static DistinctIds read(DataInput in) throws IOException {
        int windows = Varints.readLength(in, 1 << 10);
        if (windows == 0) {
            throw new IOException("corrupt DistinctIds: no window");
        }
        long[] lengths = new long[windows];
        long[] hops = new long[windows];
        for (int w = 0; w < windows; w++) {
            lengths[w] = Varints.readUnsigned(in);
            hops[w] = Varints.readUnsigned(in);
            if (lengths[w] <= 0 || hops[w] <= 0) {
                throw new IOException("corrupt DistinctIds window");
            }
        }
        DistinctIds set = new DistinctIds(lengths, hops);
        int size = Varints.readLength(in, 1 << 24);
        set.ids = new long[size];
        set.lastSeen = new long[size];
        long previous = 0;
        for (int i = 0; i < size; i++) {
            set.ids[i] = Varints.readSigned(in);
            previous += Varints.readSigned(in);
            set.lastSeen[i] = previous;
            if (i > 0 && set.lastSeen[i] < set.lastSeen[i - 1]) {
                throw new IOException("corrupt DistinctIds: not ordered by last-seen time");
            }
        }
        set.size = size;
        return set;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DistinctIds other
                && Arrays.equals(lengths, other.lengths)
                && Arrays.equals(hops, other.hops)
                && size == other.size
                && Arrays.equals(ids, 0, size, other.ids, 0, size)
                && Arrays.equals(lastSeen, 0, size, other.lastSeen, 0, size);
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(lengths);
        for (int i = 0; i < size; i++) {
            h = h * 31 + Long.hashCode(ids[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        return "DistinctIds{windows=" + lengths.length + ", ids=" + size + "}";
    }
}
