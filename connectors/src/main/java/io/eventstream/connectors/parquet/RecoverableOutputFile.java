package io.eventstream.connectors.parquet;

import java.io.BufferedOutputStream;
import java.io.IOException;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} over a stream of Flink's {@code RecoverableWriter}, so parquet-java
 * writes through any Flink filesystem ({@code file://}, {@code hdfs://}, {@code s3://}). Closing
 * the Parquet writer (which writes the footer and closes its stream) leaves this stream open: its
 * owner then calls {@link RecoverableFsDataOutputStream#closeForCommit()} to get the committer
 * that publishes the file. Hand-written because parquet-java knows only Hadoop and local files and
 * Flink's own adapter lives in {@code flink-parquet}, whose Avro/Protobuf writer factories the
 * datasets do not use.
 */
final class RecoverableOutputFile implements OutputFile {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final RecoverableFsDataOutputStream stream;
    private final String path;

    RecoverableOutputFile(RecoverableFsDataOutputStream stream, String path) {
        this.stream = stream;
        this.path = path;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) throws IOException {
        long start = stream.getPos();
        // Buffered: parquet-java writes page headers and the footer a few bytes at a time, and the
        // local filesystem's recoverable stream turns every write into a system call (measured: most
        // of the reviewer job's keyed task went into FileChannel.write for small Parquet files).
        BufferedOutputStream buffered = new BufferedOutputStream(stream, BUFFER_BYTES);
        return new PositionOutputStream() {
            private long position = start;

            @Override
            public long getPos() {
                return position;
            }

            @Override
            public void write(int b) throws IOException {
                buffered.write(b);
                position++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                buffered.write(b, off, len);
                position += len;
            }

            @Override
            public void flush() throws IOException {
                buffered.flush();
            }

            @Override
            public void close() throws IOException {
                // Everything written reaches the stream; the owner closes it for commit (see the class comment).
                buffered.flush();
            }
        };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
        return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }

    @Override
    public String getPath() {
        return path;
    }
}
