package io.eventstream.connectors.parquet;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/** Parquet compression codecs a dataset may be written with; both are read by every common reader. */
public enum Compression {
    /** Zstandard: smaller files, the default. */
    ZSTD(CompressionCodecName.ZSTD),
    /** Snappy: faster to write and read, larger files. */
    SNAPPY(CompressionCodecName.SNAPPY);

    private final CompressionCodecName codec;

    Compression(CompressionCodecName codec) {
        this.codec = codec;
    }

    CompressionCodecName codec() {
        return codec;
    }
}
