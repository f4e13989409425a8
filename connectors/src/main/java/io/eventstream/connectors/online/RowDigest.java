package io.eventstream.connectors.online;

import io.eventstream.features.datasets.Column;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The tie-break of the newest-wins rule. Between two rows of one key with equal event time, the
 * row with the greater digest wins, so the table ends the same whatever order equal-time rows
 * arrive in, and writing an identical row twice is a no-op. Both backends and the sink's buffer
 * apply exactly this rule.
 *
 * <p>A digest is 19 decimal digits (zero padded) of a SHA-256 over the row's values and the
 * feature-set version: digits only, so byte order, numeric order and locale collation (Redis Lua
 * compares strings with strcoll) all agree.
 */
final class RowDigest {

    private static final String ZEROS = "0000000000000000000";
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    });

    private RowDigest() {}

    static String of(OnlineTableSpec spec, Object[] row) {
        MessageDigest sha = SHA256.get();
        List<Column> columns = spec.columns();
        for (int i = 0; i < row.length; i++) {
            if (row[i] == null) {
                sha.update((byte) 0);
            } else {
                sha.update((byte) 1);
                sha.update(ValueCodec.encode(columns.get(i).type(), row[i]).getBytes(StandardCharsets.UTF_8));
            }
            // A separator that UTF-8 text never contains keeps ("ab","c") apart from ("a","bc").
            sha.update((byte) 0xFF);
        }
        sha.update(spec.featureSetVersion().getBytes(StandardCharsets.UTF_8));
        byte[] hash = sha.digest();
        long top = 0;
        for (int i = 0; i < 8; i++) {
            top = (top << 8) | (hash[i] & 0xFF);
        }
        String digits = Long.toString(top & Long.MAX_VALUE);
        return ZEROS.substring(digits.length()) + digits;
    }
}
