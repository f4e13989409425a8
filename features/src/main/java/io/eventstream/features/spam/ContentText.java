package io.eventstream.features.spam;

/**
 * Reduces the text of a piece of content (title and body) to features, in a few linear passes
 * and without keeping or copying the text:
 *
 * <ul>
 *   <li>lengths in Unicode code points;</li>
 *   <li>links: each {@code http://} or {@code https://} (any case) with a host, the host read as a
 *       browser reads it (user info, port, percent-encoding, IDN, IP literals: {@link LinkHost}); external
 *       when the host is neither the GitLab host nor one of its subdomains;</li>
 *   <li>mentions: {@code @} followed by a letter, digit or {@code _}, not preceded by a letter,
 *       digit, {@code _}, {@code .}, {@code -} or {@code @} (so email addresses do not count), and not
 *       inside a link;</li>
 *   <li>uppercase ratio: uppercase letters / letters, 0 without letters;</li>
 *   <li>code block: a line starting (after up to three spaces) with {@code ```} or {@code ~~~};</li>
 *   <li>text hash: FNV-1a 64 over the normalized text (title, newline, body; lowercased per code
 *       point, every whitespace run one space, trimmed; digits kept), finished with the SplitMix64
 *       mixer. Stable across JVMs and runs.</li>
 * </ul>
 *
 * <p>The exact grammar, rule by rule with examples, is in {@code docs/spam-features.md} ("Links and mentions").
 */
public final class ContentText {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /** The instance's host in the form {@link LinkHost#of} gives (ASCII, lowercase, no trailing dot). */
    private final String instanceHost;
    /** {@code "." + instanceHost} for a registered name (subdomains are internal); null for an IP address. */
    private final String instanceSuffix;

    public ContentText(String gitlabHost) {
        String host = LinkHost.canonical(gitlabHost);
        if (host == null) {
            throw new IllegalArgumentException("not a host name: " + gitlabHost);
        }
        this.instanceHost = host;
        this.instanceSuffix = LinkHost.isIpAddress(host) ? null : "." + host;
    }

    /** Fills the content fields of {@code input}; {@code title} is null for notes, {@code body} may be null. */
    public void analyze(String title, String body, SpamInput input) {
        String text = body == null ? "" : body;
        input.textLength = text.codePointCount(0, text.length());
        input.titleLength = title == null ? null : title.codePointCount(0, title.length());
        int[] counts = new int[3];
        long letters = 0;
        long upper = 0;
        for (String part : new String[] {title, text}) {
            if (part == null) {
                continue;
            }
            scan(part, counts);
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
        input.linkCount = counts[0];
        input.externalLinkCount = counts[1];
        input.mentionCount = counts[2];
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

    /**
     * Counts links, external links and mentions of one text in one pass: {@code counts[0..2] +=}.
     * An {@code @} inside a link (scheme to the end of the URL) is never a mention.
     */
    private void scan(String s, int[] counts) {
        int pos = 0;
        while (true) {
            int scheme = indexOfScheme(s, pos);
            counts[2] += countMentions(s, pos, scheme < 0 ? s.length() : scheme);
            if (scheme < 0) {
                return;
            }
            int rest = scheme + (s.charAt(scheme + 4) == ':' ? 7 : 8);
            int urlEnd = urlEnd(s, rest);
            String host = LinkHost.of(s, rest, urlEnd);
            if (host != null) {
                counts[0]++;
                if (!isInstance(host)) {
                    counts[1]++;
                }
            }
            pos = Math.max(urlEnd, rest);
        }
    }

    private boolean isInstance(String host) {
        return host.equals(instanceHost)
                || (instanceSuffix != null && host.endsWith(instanceSuffix) && !host.startsWith("["));
    }

    /**
     * Index of the next {@code http://} or {@code https://} (ASCII case-insensitive) that is not glued to a
     * preceding scheme character (letter, digit, {@code +}, {@code -}, {@code .}): {@code xhttp://} is no link.
     */
    private static int indexOfScheme(String s, int from) {
        for (int i = from; i + 7 <= s.length(); i++) {
            char c = s.charAt(i);
            if ((c == 'h' || c == 'H')
                    && s.regionMatches(true, i, "http", 0, 4)
                    && (i == 0 || !isSchemeChar(s.charAt(i - 1)))) {
                if (s.startsWith("://", i + 4)) {
                    return i;
                }
                if (i + 8 <= s.length()
                        && (s.charAt(i + 4) == 's' || s.charAt(i + 4) == 'S')
                        && s.startsWith("://", i + 5)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean isSchemeChar(char c) {
        return (c < 128 && Character.isLetterOrDigit(c)) || c == '+' || c == '-' || c == '.';
    }

    /**
     * End of the URL starting at {@code from}: the first whitespace, control character, {@code <},
     * {@code >}, {@code "} or backquote (as GitLab Flavored Markdown ends an autolink), then without
     * trailing prose punctuation {@code . , : ; ! ? * _ ~ ' )}.
     */
    static int urlEnd(String s, int from) {
        int end = from;
        while (end < s.length()) {
            char c = s.charAt(end);
            if (Character.isWhitespace(c)
                    || Character.isSpaceChar(c)
                    || Character.isISOControl(c)
                    || c == '<'
                    || c == '>'
                    || c == '"'
                    || c == '`') {
                break;
            }
            end++;
        }
        while (end > from && ".,:;!?*_~')".indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return end;
    }

    /**
     * Mentions in {@code s[from, to)}: an {@code @} followed by a letter, digit or {@code _} and not
     * preceded by a letter, digit, {@code _}, {@code .}, {@code -} or {@code @} (email addresses do not count).
     */
    static int countMentions(String s, int from, int to) {
        int count = 0;
        for (int i = s.indexOf('@', from); i >= 0 && i < to; i = s.indexOf('@', i + 1)) {
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

    static int countMentions(String s) {
        return countMentions(s, 0, s.length());
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
