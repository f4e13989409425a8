package io.eventstream.connectors.parquet;

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
    private final RecoverableFsDataOutputStream stream;
    private final String path;

    RecoverableOutputFile(RecoverableFsDataOutputStream stream, String path) {
        this.stream = stream;
        this.path = path;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
        return new PositionOutputStream() {
            @Override
            public long getPos() throws IOException {
                return stream.getPos();
            }

            @Override
            public void write(int b) throws IOException {
                stream.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                stream.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                stream.flush();
            }

            @Override
            public void close() {
                // The owner closes for commit (see the class comment).
            }
        };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
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
