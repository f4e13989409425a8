package io.eventstream.features.windows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SortedLongSetTest {

    @Test
    void behavesLikeATreeSetAndRoundTrips() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        SortedLongSet set = new SortedLongSet();
        TreeSet<Long> reference = new TreeSet<>();
        for (int i = 0; i < 5000; i++) {
            long v = random.nextLong(-20, 40);
            if (random.nextBoolean()) {
                assertThat(set.add(v)).isEqualTo(reference.add(v));
            } else {
                assertThat(set.remove(v)).isEqualTo(reference.remove(v));
            }
            assertThat(set.contains(v)).isEqualTo(reference.contains(v));
            assertThat(set.size()).isEqualTo(reference.size());
        }
        assertThat(set.toArray())
                .containsExactly(reference.stream().mapToLong(Long::longValue).toArray());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        set.write(new DataOutputStream(bytes));
        SortedLongSet back = SortedLongSet.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(back).isEqualTo(set);
        assertThat(back.copy()).isEqualTo(set);
    }
}
