package io.eventstream.features.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstream.features.datasets.Sha256;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HashKeyIdTest {
    private static final byte[] KEY = "jobs-test-hash-key-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER = "another-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    @Test
    void theIdIsTheTruncatedHmacOfTheFixedLabel() {
        // Expected values from Python: hmac.new(key, b"eventstream hash key id v1", sha256).hexdigest()[:16]
        assertThat(HashKeyId.of(KEY)).isEqualTo("78eb9a106ff75105");
        assertThat(HashKeyId.of(OTHER)).isEqualTo("19ab8377b56b2702");
        assertThatThrownBy(() -> HashKeyId.of(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNewKeyChangesTheFingerprintAndTheDefinitionNeverHoldsTheKey() {
        String definition = "{\n  \"feature_set\" : \"spam\",\n  \"logic_version\" : 3\n}\n";
        String withKey = HashKeyId.definitionWith(definition, HashKeyId.of(KEY));
        String withOther = HashKeyId.definitionWith(definition, HashKeyId.of(OTHER));

        assertThat(withKey)
                .isEqualTo(
                        "{\n  \"feature_set\" : \"spam\",\n  \"logic_version\" : 3,\n  \"hash_key_id\" : \"78eb9a106ff75105\"\n}\n");
        assertThat(Sha256.fingerprint(withKey))
                .isNotEqualTo(Sha256.fingerprint(withOther))
                .isNotEqualTo(Sha256.fingerprint(definition));
        assertThat(withKey).doesNotContain(new String(KEY, StandardCharsets.UTF_8));
        assertThat(HashKeyId.definitionWith(definition, HashKeyId.of(KEY)))
                .as("deterministic")
                .isEqualTo(withKey);
    }
}
