package io.eventstream.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.events.CloudEventJson;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Characterization test: pins, byte for byte, what the generator emits for three configs, as SHA-256
 * digests of the events' JSON lines (as {@code eventstream generate --out} writes them) and of the
 * truth's JSON lines (as {@code --truth} writes them), with their counts.
 *
 * <p>It protects against <em>any</em> change in the output: a different event, field, time, id or
 * order, a different truth record, and also a change in the order or number of random draws, which
 * shifts everything drawn after it. So a refactoring of the simulation (moving code between classes,
 * splitting methods) must leave every digest as it is. When a change of behaviour is intended, check
 * the new output is what you meant (e.g. diff a small {@code eventstream generate} run before and
 * after), then copy the new digests from this test's failure message into the expected
 * {@link Digest}s below, and say in the commit message why the generated data changed: datasets,
 * fingerprints and figures measured on generated events change with it.
 */
class GeneratorDigestTest {
    private final CloudEventJson json = new CloudEventJson();

    /** What one run produced: how many lines of each, and their digests. */
    record Digest(long events, String eventsSha256, long truthLines, String truthSha256) {}

    @Test
    void cliDefaultConfigFirstEvents() throws IOException {
        // eventstream generate's defaults (seed 1, 1,000 users, 50 projects, 30 days), cut after 20,000 events.
        assertThat(digest(GeneratorConfig.of(1, 1000, 50, 30), 20_000))
                .isEqualTo(new Digest(
                        20_000,
                        "3ccb376da360d4c3212f8ff78298730dfc65bc046e4a10d9703475755ef7fa9e",
                        929,
                        "aab0f3a9d1537d0465017ad7bc0482d51a636238a19519f7271f90c310f529e5"));
    }

    @Test
    void smallConfigWithAnotherSeedAndLateEvents() throws IOException {
        GeneratorConfig config =
                GeneratorConfig.of(42, 100, 6, 7).withLateFraction(0.02).withLateDelay(Duration.ofMinutes(45));
        assertThat(digest(config, Long.MAX_VALUE))
                .isEqualTo(new Digest(
                        3574,
                        "583255adfd7221eea9c331a9105370767e07250e9f2ed9c815a66aa292910ce4",
                        162,
                        "00c2832f7aa05b89e2e455453546aad044484bea4bd0c9e02baaf28243244529"));
    }

    @Test
    void hotProjectConfig() throws IOException {
        GeneratorConfig config = GeneratorConfig.of(7, 60, 5, 5).withHotProject(150, 2.0);
        assertThat(digest(config, Long.MAX_VALUE))
                .isEqualTo(new Digest(
                        9211,
                        "792c0b4bf43b065ca7df40edc7a523beb1a0bb47158de59ab42a1a82ab07df45",
                        400,
                        "2dbcf718eeb8d8377428ad152e9f06b97e7a005ddccd5ab0f811d575d3ecece4"));
    }

    private Digest digest(GeneratorConfig config, long maxEvents) throws IOException {
        DigestOutputStream truthOut = sha256(OutputStream.nullOutputStream());
        DigestOutputStream eventsOut = sha256(OutputStream.nullOutputStream());
        long events = 0;
        long truthLines;
        try (JsonLinesTruthSink truth = new JsonLinesTruthSink(truthOut)) {
            SyntheticEventGenerator generator = new SyntheticEventGenerator(config, truth);
            while (events < maxEvents && generator.hasNext()) {
                eventsOut.write(json.write(generator.next()));
                eventsOut.write('\n');
                events++;
            }
            truthLines = truth.lines();
        }
        return new Digest(events, hex(eventsOut), truthLines, hex(truthOut));
    }

    private static DigestOutputStream sha256(OutputStream out) {
        try {
            return new DigestOutputStream(out, MessageDigest.getInstance("SHA-256"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String hex(DigestOutputStream out) {
        return HexFormat.of().formatHex(out.getMessageDigest().digest());
    }
}
