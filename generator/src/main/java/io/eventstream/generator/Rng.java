package io.eventstream.generator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The generator's only source of randomness. Every draw goes through here, in simulation order, so
 * one seed gives one stream of events. Transcendental functions use {@link StrictMath}: {@code Math}
 * may differ by an ulp between JIT intrinsics and platforms, which would break "same seed, same bytes".
 */
final class Rng {
    private final SplittableRandom random;

    Rng(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Uniform in [0, 1). */
    double uniform() {
        return random.nextDouble();
    }

    /** Uniform in [0, bound). */
    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Uniform in [low, high] (inclusive). */
    int between(int low, int high) {
        return low + random.nextInt(high - low + 1);
    }

    /** Uniform in [low, high) for millisecond spans. */
    long betweenMillis(long low, long high) {
        return high <= low ? low : low + random.nextLong(high - low);
    }

    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    double exponential(double mean) {
        return -mean * StrictMath.log(1.0 - random.nextDouble());
    }

    /** Box–Muller; one draw per call keeps the stream simple. */
    double gaussian() {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    double logNormal(double median, double sigma) {
        return median * StrictMath.exp(sigma * gaussian());
    }

    /** Standard Gumbel noise: argmax of score + Gumbel is a softmax choice. */
    double gumbel() {
        return -StrictMath.log(-StrictMath.log(1.0 - random.nextDouble() * (1.0 - 1e-12)));
    }

    /** 1 + a geometric count with the given mean of the extra part, capped. */
    int oneToCap(double extraMean, int cap) {
        int n = 1;
        double continueProbability = extraMean / (1.0 + extraMean);
        while (n < cap && random.nextDouble() < continueProbability) {
            n++;
        }
        return n;
    }

    <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    <T> T pick(T[] items) {
        return items[random.nextInt(items.length)];
    }

    long nextLong() {
        return random.nextLong();
    }
}
