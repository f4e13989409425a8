package io.eventstream.features.spam;

import java.util.Locale;

/**
 * Reduces the text of a piece of content (title and body) to features, in a few linear passes
 * and without keeping or copying the text:
 *
 * <ul>
 *   <li>lengths in Unicode code points;</li>
 *   <li>links: each {@code http://} or {@code https://} (any case) followed by a host; external when
 *       the host is neither the GitLab host nor one of its subdomains;</li>
 *   <li>mentions: {@code @} followed by a letter, digit or {@code _}, not preceded by a letter,
 *       digit, {@code _}, {@code .}, {@code -} or {@code @} (so email addresses do not count);</li>
 *   <li>uppercase ratio: uppercase letters / letters, 0 without letters;</li>
 *   <li>code block: a line starting (after up to three spaces) with {@code ```} or {@code ~~~};</li>
 *   <li>text hash: FNV-1a 64 over the normalized text (title, newline, body; lowercased per code
 *       point, every whitespace run one space, trimmed; digits kept), finished with the SplitMix64
 *       mixer. Stable across JVMs and runs.</li>
 * </ul>
 */
public final class ContentText {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final String gitlabHost;
    private final String gitlabSuffix;

    public ContentText(String gitlabHost) {
        this.gitlabHost = gitlabHost.toLowerCase(Locale.ROOT);
        this.gitlabSuffix = "." + this.gitlabHost;
    }

    /** Fills the content fields of {@code input}; {@code title} is null for notes, {@code body} may be null. */
    public void analyze(String title, String body, SpamInput input) {
        String text = body == null ? "" : body;
        input.textLength = text.codePointCount(0, text.length());
        input.titleLength = title == null ? null : title.codePointCount(0, title.length());
        int links = 0;
        int external = 0;
        int mentions = 0;
        long letters = 0;
        long upper = 0;
        for (String part : new String[] {title, text}) {
            if (part == null) {
                continue;
            }
            links += countLinks(part, false);
            external += countLinks(part, true);
            mentions += countMentions(part);
            for (int i = 0; i < part.length(); ) {
                int cp = part.codePointAt(i);
                if (Character.isLetter(cp)) {
                    letters++;
                    if (Character.isUpperCase(cp)) {
                        upper++;
                    }
                }
                i += Character.charCount(cp);
            }
        }
        input.linkCount = links;
        input.externalLinkCount = external;
        input.mentionCount = mentions;
        input.uppercaseRatio = letters == 0 ? 0.0 : (double) upper / letters;
        input.hasCodeBlock = hasCodeFence(text);
        input.textHash = hash(title, text);
    }

    /** The normalized-text hash of a title (may be null) and body. */
    public static long hash(String title, String body) {
        Normalizer n = new Normalizer();
        if (title != null) {
            n.feed(title);
            n.pendingSpace = n.started; // title and body are separated by a newline, i.e. whitespace
        }
        n.feed(body == null ? "" : body);
        return mix(n.hash);
    }

    /** Streams the normalized text into FNV-1a without building it. */
    private static final class Normalizer {
        long hash = FNV_OFFSET;
        boolean started;
        boolean pendingSpace;

        void feed(String s) {
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                i += Character.charCount(cp);
                if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                    pendingSpace = started;
                    continue;
                }
                if (pendingSpace) {
                    add(' ');
                    pendingSpace = false;
                }
                started = true;
                int lower = Character.toLowerCase(cp);
                if (Character.isBmpCodePoint(lower)) {
                    add((char) lower);
                } else {
                    add(Character.highSurrogate(lower));
                    add(Character.lowSurrogate(lower));
                }
            }
        }

        private void add(char c) {
            hash ^= c & 0xFF;
            hash *= FNV_PRIME;
            hash ^= c >>> 8;
            hash *= FNV_PRIME;
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private int countLinks(String s, boolean externalOnly) {
        int count = 0;
        int from = 0;
        while (true) {
            int scheme = indexOfScheme(s, from);
            if (scheme < 0) {
                return count;
            }
            int hostStart = s.indexOf("://", scheme) + 3;
            int hostEnd = hostStart;
            while (hostEnd < s.length() && isHostChar(s.charAt(hostEnd))) {
                hostEnd++;
            }
            from = hostEnd;
            String host = s.substring(hostStart, hostEnd).toLowerCase(Locale.ROOT);
            while (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            if (host.isEmpty()) {
                continue;
            }
            if (!externalOnly || !(host.equals(gitlabHost) || host.endsWith(gitlabSuffix))) {
                count++;
            }
        }
    }

    /** Index of the next {@code http://} or {@code https://}, case-insensitively. */
    private static int indexOfScheme(String s, int from) {
        for (int i = from; i + 7 <= s.length(); i++) {
            char c = s.charAt(i);
            if ((c == 'h' || c == 'H') && s.regionMatches(true, i, "http", 0, 4)) {
                if (s.startsWith("://", i + 4)) {
                    return i;
                }
                if (i + 8 <= s.length() && (s.charAt(i + 4) == 's' || s.charAt(i + 4) == 'S') && s.startsWith("://", i + 5)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean isHostChar(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_';
    }

    static int countMentions(String s) {
        int count = 0;
        for (int i = s.indexOf('@'); i >= 0; i = s.indexOf('@', i + 1)) {
            if (i + 1 >= s.length()) {
                break;
            }
            char next = s.charAt(i + 1);
            if (!(Character.isLetterOrDigit(next) || next == '_')) {
                continue;
            }
            if (i > 0) {
                char prev = s.charAt(i - 1);
                if (Character.isLetterOrDigit(prev) || prev == '_' || prev == '.' || prev == '-' || prev == '@') {
                    continue;
                }
            }
            count++;
        }
        return count;
    }

    static boolean hasCodeFence(String s) {
        int lineStart = 0;
        while (lineStart <= s.length()) {
            int i = lineStart;
            int spaces = 0;
            while (i < s.length() && s.charAt(i) == ' ' && spaces < 3) {
                i++;
                spaces++;
            }
            if (s.startsWith("```", i) || s.startsWith("~~~", i)) {
                return true;
            }
            int newline = s.indexOf('\n', lineStart);
            if (newline < 0) {
                return false;
            }
            lineStart = newline + 1;
        }
        return false;
    }
}
