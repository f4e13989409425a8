package io.eventstream.generator;

/**
 * Samples an index with probability proportional to its weight (a Fenwick tree: O(log n) to change
 * a weight or sample). Weights start at zero, so an item is only picked once it is "switched on"
 * (e.g. a project once it is created).
 */
final class WeightedPicker {
    private final double[] tree;
    private final double[] weights;

    WeightedPicker(int size) {
        this.tree = new double[size + 1];
        this.weights = new double[size];
    }

    void set(int index, double weight) {
        double delta = weight - weights[index];
        weights[index] = weight;
        for (int i = index + 1; i < tree.length; i += i & -i) {
            tree[i] += delta;
        }
    }

    double total() {
        double sum = 0;
        for (int i = tree.length - 1; i > 0; i -= i & -i) {
            sum += tree[i];
        }
        return sum;
    }

    /** An index with positive weight, or -1 when all weights are zero. */
    int sample(Rng rng) {
        double total = total();
        if (total <= 0) {
            return -1;
        }
        double target = rng.uniform() * total;
        int position = 0;
        for (int step = Integer.highestOneBit(tree.length - 1); step > 0; step >>= 1) {
            int next = position + step;
            if (next < tree.length && tree[next] <= target) {
                position = next;
                target -= tree[next];
            }
        }
        // Rounding can land on a zero-weight slot; take the nearest live one.
        int index = Math.min(position, weights.length - 1);
        for (int i = index; i < weights.length; i++) {
            if (weights[i] > 0) {
                return i;
            }
        }
        for (int i = index - 1; i >= 0; i--) {
            if (weights[i] > 0) {
                return i;
            }
        }
        return -1;
    }
}
