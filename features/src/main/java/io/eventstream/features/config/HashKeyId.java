package io.eventstream.features.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstream.features.datasets.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Identifies a hash key without revealing it: the HMAC-SHA256 of a fixed label under the key, first
 * 16 hex characters. A dataset whose columns hold keyed hashes records it in its definition
 * ({@code hash_key_id} in {@code _feature_set.json}), so its fingerprint, hence its version,
 * changes with the key: rows hashed under two keys never share a version. The key cannot be
 * recovered from the id (HMAC is a pseudo-random function of the key), and the id is no hash of
 * any data value, since the label is no email domain.
 */
public final class HashKeyId {
    /** The label MACed under the key; fixed forever, as changing it changes every id. */
    static final String LABEL = "eventstream hash key id v1";

    private static final int ID_HEX_CHARS = 16;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HashKeyId() {}

    /** The id of {@code key}: 16 lowercase hex characters. */
    public static String of(byte[] key) {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("the hash key must not be empty");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(LABEL.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, ID_HEX_CHARS / 2);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
        }
    }

    /**
     * A definition with {@code hash_key_id} added at its top level, in {@link FeatureSetJson}'s
     * text form; its {@link Sha256#fingerprint} is the fingerprint of a dataset hashed under the key.
     */
    public static String definitionWith(String definitionJson, String keyId) {
        try {
            ObjectNode root = (ObjectNode) MAPPER.readTree(definitionJson);
            root.put("hash_key_id", keyId);
            return FeatureSetJson.render(root);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("the feature-set definition is not a JSON object", e);
        }
    }
}
