package io.eventstream.connectors.parquet;

import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * One Parquet codec factory for every part file a writer subtask writes, one file after another.
 *
 * <p>{@code ParquetWriter} otherwise builds a factory per file, and each factory allocates a
 * page-sized (1 MiB) output buffer for its compressor: in a backfill, where a checkpoint closes
 * dozens of small hour files, that buffer was a third of all the bytes the writer allocated, each
 * one a humongous object for G1. The compressor only ever holds the page being compressed, so
 * sharing it between files that are written one at a time on the task thread changes no byte on
 * disk. {@link #release()}, which {@code ParquetWriter.close()} calls, does nothing; the owner
 * frees the codecs with {@link #releaseCodecs()} when it closes.
 */
final class SharedCodecFactory implements CompressionCodecFactory {

    private final CodecFactory codecs =
            new CodecFactory(new PlainParquetConfiguration(), ParquetProperties.DEFAULT_PAGE_SIZE);

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codecName) {
        return codecs.getCompressor(codecName);
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codecName) {
        return codecs.getDecompressor(codecName);
    }

    /** Kept for the next file: called by every {@code ParquetWriter} it was given to when that closes. */
    @Override
    public void release() {}

    /** Frees the compressors and decompressors; the factory must not be used afterwards. */
    void releaseCodecs() {
        codecs.release();
    }
}
