package io.eventstream.features.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * LEB128 variable-length longs (zig-zag for signed values). Keyed state is mostly small counts and
 * tile indices close to each other, so variable-length encoding keeps serialized state small.
 */
public final class Varints {
    private Varints() {}

    /** Writes an unsigned-style varint; negative values take ten bytes, use {@link #writeSigned} for them. */
    public static void writeUnsigned(DataOutput out, long value) throws IOException {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    public static long readUnsigned(DataInput in) throws IOException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.readByte();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IOException("malformed varint");
    }

    public static void writeSigned(DataOutput out, long value) throws IOException {
        writeUnsigned(out, (value << 1) ^ (value >> 63));
    }

    public static long readSigned(DataInput in) throws IOException {
        long raw = readUnsigned(in);
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** Reads a non-negative int written with {@link #writeUnsigned}, rejecting corrupt lengths. */
    public static int readLength(DataInput in, int max) throws IOException {
        long n = readUnsigned(in);
        if (n < 0 || n > max) {
            throw new IOException("corrupt length " + n + " (max " + max + ")");
        }
        return (int) n;
    }
}
