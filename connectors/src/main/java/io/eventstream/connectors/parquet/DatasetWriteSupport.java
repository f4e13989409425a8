package io.eventstream.connectors.parquet;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * Writes dataset rows ({@code Object[]} in column order, see {@link DatasetSchema}) with parquet-java,
 * mapping each column type to one Parquet type:
 *
 * <table>
 *   <caption>column types</caption>
 *   <tr><th>ColumnType</th><th>Parquet</th></tr>
 *   <tr><td>STRING</td><td>BINARY, String (UTF8) logical type</td></tr>
 *   <tr><td>INT</td><td>INT32</td></tr>
 *   <tr><td>LONG</td><td>INT64</td></tr>
 *   <tr><td>DOUBLE</td><td>DOUBLE</td></tr>
 *   <tr><td>BOOLEAN</td><td>BOOLEAN</td></tr>
 *   <tr><td>TIMESTAMP_MILLIS</td><td>INT64 TIMESTAMP(MILLIS, isAdjustedToUTC=true)</td></tr>
 * </table>
 *
 * <p>Non-nullable columns are {@code required}, nullable ones {@code optional}. Rows must have been
 * checked with {@link DatasetSchema#check(Object[])}: this class trusts the value classes.
 */
final class DatasetWriteSupport extends WriteSupport<Object[]> {

    /** Parquet key-value metadata key holding the feature-set fingerprint. */
    static final String FINGERPRINT_KEY = "eventstream.feature_set.fingerprint";
    /** Parquet key-value metadata key holding the dataset name. */
    static final String DATASET_KEY = "eventstream.dataset";
    /** Parquet key-value metadata key holding the dataset version number. */
    static final String VERSION_KEY = "eventstream.dataset.version";

    private final List<Column> columns;
    private final MessageType parquetSchema;
    private final Map<String, String> metadata;
    private RecordConsumer consumer;

    DatasetWriteSupport(DatasetSchema schema, Map<String, String> metadata) {
        this.columns = schema.columns();
        this.parquetSchema = parquetSchema(schema);
        this.metadata = Map.copyOf(metadata);
    }

    /** The Parquet message type of a dataset schema. */
    static MessageType parquetSchema(DatasetSchema schema) {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (Column column : schema.columns()) {
            Repetition repetition = column.nullable() ? Repetition.OPTIONAL : Repetition.REQUIRED;
            switch (column.type()) {
                case STRING ->
                    message.primitive(PrimitiveTypeName.BINARY, repetition)
                            .as(LogicalTypeAnnotation.stringType())
                            .named(column.name());
                case INT ->
                    message.primitive(PrimitiveTypeName.INT32, repetition).named(column.name());
                case LONG ->
                    message.primitive(PrimitiveTypeName.INT64, repetition).named(column.name());
                case DOUBLE ->
                    message.primitive(PrimitiveTypeName.DOUBLE, repetition).named(column.name());
                case BOOLEAN ->
                    message.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(column.name());
                case TIMESTAMP_MILLIS ->
                    message.primitive(PrimitiveTypeName.INT64, repetition)
                            .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MILLIS))
                            .named(column.name());
            }
        }
        return message.named(schema.name());
    }

    /**
     * Opens a Parquet writer on a new file (the file must not exist), compressing with the
     * codecs of {@code codecs}, which the writer's {@code close()} leaves open for the next file.
     *
     * <p>Dictionary encoding is on for string columns only. A dataset's part file holds one hour of one
     * writer subtask, often a few hundred rows, and on numbers a dictionary does not pay there: every
     * value goes through a hash map (the largest single cost of writing candidate rows in a profile of
     * the reviewer job), and the column compressed plain is as small or smaller (the reviewer
     * candidates of {@code bench reviewers}: 8 % fewer bytes). Parquet's size statistics (per-page
     * level histograms for query planners; none of our readers uses them) are off for the same reason:
     * they cost on every value. Figures: docs/benchmarks.md, "Parquet encodings".
     */
    static ParquetWriter<Object[]> open(
            OutputFile file,
            DatasetSchema schema,
            Compression compression,
            Map<String, String> metadata,
            SharedCodecFactory codecs)
            throws IOException {
        Builder builder =
                withParquetDefaults(file, schema, compression, metadata, codecs).withSizeStatisticsEnabled(false);
        for (Column column : schema.columns()) {
            if (column.type() != ColumnType.STRING) {
                builder.withDictionaryEncoding(column.name(), false);
            }
        }
        return builder.build();
    }

    /** A writer builder with parquet-java's default encodings and statistics (what {@link #open} departs from). */
    static Builder withParquetDefaults(
            OutputFile file,
            DatasetSchema schema,
            Compression compression,
            Map<String, String> metadata,
            SharedCodecFactory codecs) {
        return new Builder(file, new DatasetWriteSupport(schema, metadata))
                // Plain configuration: no Hadoop FileSystem or *-site.xml lookups; the file does the I/O.
                .withConf(new PlainParquetConfiguration())
                .withWriteMode(ParquetFileWriter.Mode.CREATE)
                .withCompressionCodec(compression.codec())
                .withCodecFactory(codecs);
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return new WriteContext(parquetSchema, metadata);
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return new WriteContext(parquetSchema, metadata);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    @Override
    public void write(Object[] row) {
        consumer.startMessage();
        for (int i = 0; i < row.length; i++) {
            Object value = row[i];
            if (value == null) {
                continue; // an absent optional field is a null
            }
            String name = columns.get(i).name();
            consumer.startField(name, i);
            switch (columns.get(i).type()) {
                case STRING -> consumer.addBinary(Binary.fromString((String) value));
                case INT -> consumer.addInteger((Integer) value);
                case LONG, TIMESTAMP_MILLIS -> consumer.addLong((Long) value);
                case DOUBLE -> consumer.addDouble((Double) value);
                case BOOLEAN -> consumer.addBoolean((Boolean) value);
            }
            consumer.endField(name, i);
        }
        consumer.endMessage();
    }

    static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
        private final DatasetWriteSupport writeSupport;

        Builder(OutputFile file, DatasetWriteSupport writeSupport) {
            super(file);
            this.writeSupport = writeSupport;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
            return writeSupport;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(ParquetConfiguration conf) {
            return writeSupport;
        }
    }
}
