package io.eventstream.jobs.bench;

import java.io.OutputStream;

/** Counts the bytes written to it and keeps none: the size of a state's serialized form. */
final class ByteCountingOutput extends OutputStream {
    private long bytes;

    @Override
    public void write(int b) {
        bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        bytes += len;
    }

    long bytes() {
        return bytes;
    }
}
