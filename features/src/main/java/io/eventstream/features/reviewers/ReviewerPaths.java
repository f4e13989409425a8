package io.eventstream.features.reviewers;

import java.util.Collection;
import java.util.TreeSet;

/**
 * Path helpers of the reviewer features: directory prefixes and the 64-bit keys under which
 * per-(user, path) and per-(user, prefix) tiles are stored (only hashes are kept in tiles; the
 * strings live in merge-request and branch records). Two different (user, path) pairs share a key
 * with probability about n²/2⁶⁵ for n pairs: negligible for any real project.
 */
public final class ReviewerPaths {
    private ReviewerPaths() {}

    /**
     * The directory prefixes of a path at depths 1..{@code depth}, without trailing slash:
     * {@code src/main/App.java} gives {@code src}, {@code src/main}; {@code README.md} gives none.
     * Empty segments (a leading or doubled slash) are not prefixes.
     */
    public static void prefixes(String path, int depth, Collection<String> into) {
        int found = 0;
        int from = 0;
        while (found < depth) {
            int slash = path.indexOf('/', from);
            if (slash < 0) {
                return;
            }
            if (slash > from) {
                into.add(path.substring(0, slash));
                found++;
            }
            from = slash + 1;
        }
    }

    /** The distinct directory prefixes of several paths, sorted. */
    public static TreeSet<String> prefixesOf(Collection<String> paths, int depth) {
        TreeSet<String> prefixes = new TreeSet<>();
        for (String path : paths) {
            prefixes(path, depth, prefixes);
        }
        return prefixes;
    }

    /** 64-bit hash of a string: FNV-1a over its UTF-16 units, then the SplitMix64 finalizer. */
    public static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * 0x100000001b3L;
        }
        return mix(h);
    }

    /** The tile key of (user, hashed string). */
    public static long key(long userId, long textHash) {
        return mix(mix(userId) ^ textHash);
    }

    /** The tile key of an ordered (reviewer, author) pair; (a, b) and (b, a) differ. */
    public static long pairKey(long reviewerId, long authorId) {
        return key(reviewerId, mix(authorId ^ 0x5DEECE66DL));
    }

    /** SplitMix64 finalizer: a bijection that spreads bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
