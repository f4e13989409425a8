package io.eventstream.features.spam;

import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The host of a link as a browser would connect to it (RFC 3986 authority, read the way the WHATWG
 * URL standard does for {@code http}/{@code https}), in one comparable form: ASCII (IDN labels as
 * punycode), lowercase, without trailing dots; IPv4 addresses in dotted decimal, IPv6 in brackets.
 *
 * <p>Hand-written because {@link java.net.URI} rejects what browsers accept (unencoded non-ASCII,
 * {@code \}, spaces after the authority) and has no IPv4 number forms or IDN; the spam features need
 * exactly the host a click would reach. The rules, with examples, are in {@code docs/spam-features.md}.
 */
final class LinkHost {
    private LinkHost() {}

    /**
     * The canonical host of the URL whose text after {@code ://} is {@code s[from, to)}; null when the
     * URL has no host (then it is no link). A host that cannot be read (bad percent-encoding, a
     * character no host may hold, an IDN label that does not convert, a malformed IP literal) is
     * returned as {@link #INVALID}, which never equals a configured host: such a link is external.
     */
    static String of(String s, int from, int to) {
        int authorityEnd = from;
        while (authorityEnd < to && "/\\?#".indexOf(s.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        int hostStart = s.lastIndexOf('@', authorityEnd - 1) + 1; // user info ends at the last '@'
        if (hostStart < from) {
            hostStart = from;
        }
        int hostEnd;
        if (hostStart < authorityEnd && s.charAt(hostStart) == '[') {
            int close = s.indexOf(']', hostStart);
            if (close < 0 || close >= authorityEnd) {
                return INVALID;
            }
            hostEnd = close + 1;
        } else {
            hostEnd = hostStart;
            while (hostEnd < authorityEnd && s.charAt(hostEnd) != ':') {
                hostEnd++;
            }
        }
        if (hostEnd == hostStart) {
            return null;
        }
        return canonical(s.substring(hostStart, hostEnd));
    }

    /** Stands for a host that cannot be read; contains a space, so no host name equals it. */
    static final String INVALID = "<invalid host>";

    /** The canonical form of a host as written in a URL (percent-encoded or not), null if empty. */
    static String canonical(String written) {
        if (written.startsWith("[")) {
            return ipv6(written);
        }
        String host = percentDecode(written);
        if (host == null) {
            return INVALID;
        }
        int end = host.length();
        while (end > 0 && isDot(host.charAt(end - 1))) {
            end--;
        }
        if (end == 0) {
            return null;
        }
        host = host.substring(0, end);
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = c >= 128
                    ? !Character.isWhitespace(c) && !Character.isISOControl(c)
                    : Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return INVALID;
            }
        }
        String ascii;
        try {
            ascii = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return INVALID;
        }
        int lastDot = ascii.lastIndexOf('.');
        String lastLabel = ascii.substring(lastDot + 1);
        if (endsInNumber(lastLabel)) {
            String ipv4 = ipv4(ascii);
            return ipv4 == null ? INVALID : ipv4;
        }
        return ascii;
    }

    static boolean isIpAddress(String canonicalHost) {
        return canonicalHost.startsWith("[")
                || endsInNumber(canonicalHost.substring(canonicalHost.lastIndexOf('.') + 1));
    }

    /** The full stops IDNA treats as label separators (RFC 3490, 3.1). */
    private static boolean isDot(char c) {
        return c == '.' || c == '\u3002' || c == '\uff0e' || c == '\uff61';
    }

    /** WHATWG "ends in a number": the last label is decimal digits or a 0x hex number; the host is then IPv4. */
    private static boolean endsInNumber(String label) {
        if (label.isEmpty()) {
            return false;
        }
        if (label.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        return (label.startsWith("0x") || label.startsWith("0X"))
                && label.chars().skip(2).allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /**
     * WHATWG IPv4 parsing: one to four parts, each decimal, {@code 0x} hex or {@code 0}-led octal; the
     * last part fills the remaining bytes ({@code 127.1} is 127.0.0.1, {@code 2130706433} too).
     */
    private static String ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] numbers = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            int radix = 10;
            if (p.startsWith("0x") || p.startsWith("0X")) {
                p = p.substring(2);
                radix = 16;
            } else if (p.length() > 1 && p.startsWith("0")) {
                p = p.substring(1);
                radix = 8;
            }
            if (p.isEmpty()) {
                numbers[i] = 0;
                continue;
            }
            if (p.length() > 12) {
                return null;
            }
            try {
                numbers[i] = Long.parseLong(p, radix);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        long address = 0;
        for (int i = 0; i < numbers.length - 1; i++) {
            if (numbers[i] > 255) {
                return null;
            }
            address = (address << 8) | numbers[i];
        }
        int lastBytes = 5 - numbers.length;
        long last = numbers[numbers.length - 1];
        if (last >= (1L << (8 * lastBytes))) {
            return null;
        }
        address = (address << (8 * lastBytes)) | last;
        return ((address >>> 24) & 255) + "." + ((address >>> 16) & 255) + "." + ((address >>> 8) & 255) + "."
                + (address & 255);
    }

    /** {@code [v6]} in Java's full lowercase form; {@link #INVALID} when not an IPv6 literal. */
    private static String ipv6(String bracketed) {
        if (bracketed.length() < 3 || !bracketed.endsWith("]") || bracketed.indexOf(':') < 0) {
            return INVALID;
        }
        for (int i = 1; i < bracketed.length() - 1; i++) {
            char c = bracketed.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return INVALID; // also keeps zone ids and anything else that InetAddress could resolve away
            }
        }
        try {
            // A bracketed literal is parsed, never looked up (InetAddress.getAllByName).
            InetAddress address = InetAddress.getByName(bracketed);
            if (address instanceof Inet6Address) {
                return "[" + address.getHostAddress() + "]";
            }
            return address.getHostAddress(); // an IPv4-mapped literal ([::ffff:1.2.3.4]) is that IPv4 address
        } catch (UnknownHostException e) {
            return INVALID;
        }
    }

    /** Decodes {@code %XX} escapes as UTF-8; null on a malformed escape or invalid UTF-8. */
    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi * 16 + lo);
                i += 3;
            } else {
                int cp = s.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
