package io.eventstream.features.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A small set of longs (e.g. the projects a user is a member of) as one sorted primitive array:
 * no boxing, binary-search lookups, compact and delta-encoded when serialized.
 */
public final class SortedLongSet {
    private long[] values = new long[0];
    private int size;

    public boolean add(long value) {
        int pos = Arrays.binarySearch(values, 0, size, value);
        if (pos >= 0) {
            return false;
        }
        pos = -pos - 1;
        if (size == values.length) {
            values = Arrays.copyOf(values, Math.max(4, size * 2));
        }
        System.arraycopy(values, pos, values, pos + 1, size - pos);
        values[pos] = value;
        size++;
        return true;
    }

    public boolean remove(long value) {
        int pos = Arrays.binarySearch(values, 0, size, value);
        if (pos < 0) {
            return false;
        }
        System.arraycopy(values, pos + 1, values, pos, size - pos - 1);
        size--;
        return true;
    }

    /** Adds every value of {@code other}. */
    public void addAll(SortedLongSet other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    /** The {@code index}-th smallest value. */
    public long get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return values[index];
    }

    public boolean contains(long value) {
        return Arrays.binarySearch(values, 0, size, value) >= 0;
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }

    public long[] toArray() {
        return Arrays.copyOf(values, size);
    }

    public SortedLongSet copy() {
        SortedLongSet copy = new SortedLongSet();
        copy.values = Arrays.copyOf(values, size);
        copy.size = size;
        return copy;
    }

    public void write(DataOutput out) throws IOException {
        Varints.writeUnsigned(out, size);
        long previous = 0;
        for (int i = 0; i < size; i++) {
            Varints.writeSigned(out, values[i] - previous);
            previous = values[i];
        }
    }

    public static SortedLongSet read(DataInput in) throws IOException {
        SortedLongSet set = new SortedLongSet();
        int size = Varints.readLength(in, 1 << 24);
        set.values = new long[size];
        long previous = 0;
        for (int i = 0; i < size; i++) {
            previous += Varints.readSigned(in);
            if (i > 0 && previous <= set.values[i - 1]) {
                throw new IOException("corrupt SortedLongSet: not strictly increasing");
            }
            set.values[i] = previous;
        }
        set.size = size;
        return set;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SortedLongSet other && Arrays.equals(values, 0, size, other.values, 0, other.size);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < size; i++) {
            h = h * 31 + Long.hashCode(values[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        return Arrays.toString(toArray());
    }
}
