package io.eventstream.generator;

/**
 * A small map from user id to an exponentially decaying score, holding at most {@code capacity}
 * users (the weakest is evicted). It is how the generator remembers "who touched this directory
 * recently" and "who reviewed this author": bounded no matter how many days are simulated.
 */
final class DecayingTopK {
    private final long[] keys;
    private final double[] scores;
    private final long[] stamps;
    private final double decayPerMilli;
    private int size;

    DecayingTopK(int capacity, long halfLifeMillis) {
        this.keys = new long[capacity];
        this.scores = new double[capacity];
        this.stamps = new long[capacity];
        this.decayPerMilli = StrictMath.log(2.0) / halfLifeMillis;
    }

    void add(long key, double amount, long now) {
        int weakest = -1;
        double weakestScore = Double.POSITIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            if (keys[i] == key) {
                scores[i] = decayed(i, now) + amount;
                stamps[i] = now;
                return;
            }
            double score = decayed(i, now);
            if (score < weakestScore) {
                weakestScore = score;
                weakest = i;
            }
        }
        int slot;
        if (size < keys.length) {
            slot = size++;
        } else if (weakestScore < amount) {
            slot = weakest;
        } else {
            return;
        }
        keys[slot] = key;
        scores[slot] = amount;
        stamps[slot] = now;
    }

    double get(long key, long now) {
        for (int i = 0; i < size; i++) {
            if (keys[i] == key) {
                return decayed(i, now);
            }
        }
        return 0.0;
    }

    int size() {
        return size;
    }

    /** Adds every remembered (key, decayed score) into {@code totals}. */
    void addTo(java.util.Map<Long, Double> totals, long now) {
        for (int i = 0; i < size; i++) {
            totals.merge(keys[i], decayed(i, now), Double::sum);
        }
    }

    private double decayed(int i, long now) {
        long age = now - stamps[i];
        return age <= 0 ? scores[i] : scores[i] * StrictMath.exp(-decayPerMilli * age);
    }
}
