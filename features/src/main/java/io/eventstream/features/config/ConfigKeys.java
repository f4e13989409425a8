package io.eventstream.features.config;

import java.util.Collection;

/** Suggestions for misspelt keys ("did you mean ...?"), by edit distance. */
final class ConfigKeys {
    private ConfigKeys() {}

    /** The closest candidate when it is close enough to be a plausible typo, else null. */
    static String closest(String key, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(key, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int tolerance = Math.max(2, key.length() / 4);
        return bestDistance <= tolerance ? best : null;
    }

    static String unknownKeyMessage(String what, String key, Collection<String> candidates) {
        String suggestion = closest(key, candidates);
        return "unknown " + what + (suggestion == null ? "" : "; did you mean " + suggestion + "?");
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
