package io.eventstream.features.datasets;

/**
 * Logical column types of datasets and online tables. Each maps to one Parquet physical/logical
 * type and one Java value class (values in rows use exactly these classes).
 */
public enum ColumnType {
    /** UTF-8 string; Java {@link String}. */
    STRING(String.class),
    /** 32-bit signed; Java {@link Integer}. */
    INT(Integer.class),
    /** 64-bit signed; Java {@link Long}. */
    LONG(Long.class),
    /** IEEE double; Java {@link Double}. */
    DOUBLE(Double.class),
    /** Java {@link Boolean}. */
    BOOLEAN(Boolean.class),
    /** Parquet INT64 TIMESTAMP(MILLIS, isAdjustedToUTC=true); Java {@link Long} epoch millis. */
    TIMESTAMP_MILLIS(Long.class);

    private final Class<?> javaClass;

    ColumnType(Class<?> javaClass) {
        this.javaClass = javaClass;
    }

    public Class<?> javaClass() {
        return javaClass;
    }
}
