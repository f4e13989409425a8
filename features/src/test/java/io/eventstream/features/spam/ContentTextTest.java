package io.eventstream.features.spam;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentTextTest {
    private final ContentText text = new ContentText("gitlab.example.com");

    private SpamInput analyze(String title, String body) {
        SpamInput input = new SpamInput();
        text.analyze(title, body, input);
        return input;
    }

    @Test
    void linksAreExternalUnlessOnTheInstanceOrItsSubdomains() {
        SpamInput input = analyze(
                "Look: HTTPS://Evil.example/y",
                "See https://gitlab.example.com/a, "
                        + "http://docs.gitlab.example.com/x and https://gitlab.example.com.evil.net/z "
                        + "and https:// (no host) and ftp://old.example");
        assertThat(input.linkCount).isEqualTo(4);
        assertThat(input.externalLinkCount).isEqualTo(2); // evil.example, gitlab.example.com.evil.net
    }

    /** {@code {links, external links, mentions}} of a body. */
    private int[] counts(String body) {
        SpamInput input = analyze(null, body);
        return new int[] {input.linkCount, input.externalLinkCount, input.mentionCount};
    }

    /** The canonical host of one URL ({@code scheme://} included), as the link counter reads it. */
    private static String host(String url) {
        int rest = url.indexOf("://") + 3;
        return LinkHost.of(url, rest, ContentText.urlEnd(url, rest));
    }

    @Test
    void userInfoEndsAtTheLastAtSign() {
        assertThat(host("https://gitlab.example.com@evil.example.net/login")).isEqualTo("evil.example.net");
        assertThat(host("https://user@gitlab.example.com/")).isEqualTo("gitlab.example.com");
        assertThat(host("https://user:pa@ss@gitlab.example.com:8443/x")).isEqualTo("gitlab.example.com");
        assertThat(host("https://gitlab.example.com:443@evil.example.net")).isEqualTo("evil.example.net");
        // A '@' in the path or query is not user info.
        assertThat(host("https://gitlab.example.com/u/@evil.example.net")).isEqualTo("gitlab.example.com");
        assertThat(host("https://gitlab.example.com?next=a@evil.example.net")).isEqualTo("gitlab.example.com");
        // Browsers read '\' as '/' in http(s) URLs: it ends the authority too.
        assertThat(host("https://evil.example.net\\@gitlab.example.com/")).isEqualTo("evil.example.net");
        assertThat(counts("https://gitlab.example.com@evil.example.net/login https://user@gitlab.example.com/"))
                .containsExactly(2, 1, 0);
    }

    @Test
    void portsCaseAndTrailingDotsDoNotChangeTheHost() {
        assertThat(host("https://GitLab.Example.COM:8443/x")).isEqualTo("gitlab.example.com");
        assertThat(host("https://gitlab.example.com.:443")).isEqualTo("gitlab.example.com");
        assertThat(host("https://gitlab.example.com..")).isEqualTo("gitlab.example.com");
        assertThat(host("HTTP://gitlab.example.com:")).isEqualTo("gitlab.example.com");
        assertThat(counts("HTTPS://GITLAB.EXAMPLE.COM.:8080/a and https://Docs.GitLab.example.com./b"))
                .containsExactly(2, 0, 0);
    }

    @Test
    void percentEncodingIsDecodedBeforeComparing() {
        assertThat(host("https://gitlab%2Eexample%2ecom/")).isEqualTo("gitlab.example.com");
        assertThat(host("https://%67itlab.example.com")).isEqualTo("gitlab.example.com");
        // An encoded '@' is not user info; an encoded '/' cannot be in a host: unreadable, so external.
        assertThat(host("https://evil.example.net%40gitlab.example.com")).isEqualTo(LinkHost.INVALID);
        assertThat(host("https://evil.example.net%2F.gitlab.example.com")).isEqualTo(LinkHost.INVALID);
        assertThat(host("https://bad%zz.example")).isEqualTo(LinkHost.INVALID);
        assertThat(host("https://bad%C3.example")).isEqualTo(LinkHost.INVALID); // a lone UTF-8 lead byte
        assertThat(counts("https://gitlab%2Eexample%2Ecom/a https://evil.example.net%2F.gitlab.example.com"))
                .containsExactly(2, 1, 0);
    }

    @Test
    void internationalizedHostsAreComparedAsPunycode() {
        assertThat(host("https://bücher.example/")).isEqualTo("xn--bcher-kva.example");
        assertThat(host("https://B%C3%BCcher.example/")).isEqualTo("xn--bcher-kva.example");
        // Fullwidth letters and the ideographic full stop map to the ASCII host (IDNA nameprep).
        assertThat(host("https://ｇｉｔｌａｂ.example。com/")).isEqualTo("gitlab.example.com");
        // A Cyrillic 'а' (U+0430) in place of the Latin 'a' is another host: the homograph trick.
        assertThat(host("https://gitl\u0430b.example.com/")).isEqualTo("xn--gitlb-7ve.example.com");
        assertThat(host("https://" + "a".repeat(64) + ".example")).isEqualTo(LinkHost.INVALID); // label > 63
        ContentText idnInstance = new ContentText("xn--bcher-kva.example");
        SpamInput input = new SpamInput();
        idnInstance.analyze(
                null, "https://bücher.example/a https://docs.BÜCHER.example https://buecher.example", input);
        assertThat(input.linkCount).isEqualTo(3);
        assertThat(input.externalLinkCount).isEqualTo(1);
        assertThat(counts("https://gitl\u0430b.example.com/ https://ｇｉｔｌａｂ.example。com/"))
                .containsExactly(2, 1, 0);
    }

    @Test
    void ipLiteralsAreNeverSubdomains() {
        assertThat(host("http://127.0.0.1:8080/")).isEqualTo("127.0.0.1");
        assertThat(host("http://2130706433/")).isEqualTo("127.0.0.1");
        assertThat(host("http://0x7f.1/")).isEqualTo("127.0.0.1");
        assertThat(host("http://0177.0.0.01/")).isEqualTo("127.0.0.1");
        assertThat(host("http://256.1.1.1/")).isEqualTo(LinkHost.INVALID);
        assertThat(host("http://1.2.3.4.5/")).isEqualTo(LinkHost.INVALID);
        assertThat(host("http://[::1]:8080/")).isEqualTo("[0:0:0:0:0:0:0:1]");
        assertThat(host("http://[2001:DB8::1]/")).isEqualTo("[2001:db8:0:0:0:0:0:1]");
        assertThat(host("http://[::ffff:10.0.0.5]/")).isEqualTo("10.0.0.5");
        assertThat(host("http://[::1/")).isEqualTo(LinkHost.INVALID);
        assertThat(host("http://[gitlab.example.com]/")).isEqualTo(LinkHost.INVALID);
        assertThat(counts("http://[::1]/ http://10.0.0.5/")).containsExactly(2, 2, 0);
        ContentText ipInstance = new ContentText("10.0.0.5");
        SpamInput input = new SpamInput();
        ipInstance.analyze(
                null, "http://10.0.0.5/a http://012.0.0.5/b http://[::ffff:a00:5]/ http://1.10.0.0.5/", input);
        assertThat(input.linkCount).isEqualTo(4);
        assertThat(input.externalLinkCount).isEqualTo(1); // 1.10.0.0.5 has five parts: not an address
    }

    @Test
    void aLinkEndsAtWhitespaceOrMarkupAndTrailingPunctuationIsProse() {
        assertThat(host("https://gitlab.example.com).")).isEqualTo("gitlab.example.com");
        assertThat(host("https://gitlab.example.com,")).isEqualTo("gitlab.example.com");
        assertThat(counts("(see https://gitlab.example.com) or <https://evil.example>, \"https://evil.example\"."))
                .containsExactly(3, 2, 0);
        // Only trailing punctuation goes: ')' before a '@' is user info, as in a browser.
        assertThat(host("https://gitlab.example.com)@evil.example.net")).isEqualTo("evil.example.net");
        assertThat(host("https://gitlab.example.com'@evil.example.net/")).isEqualTo("evil.example.net");
    }

    @Test
    void aLinkNeedsASchemeOfItsOwnAndAHost() {
        assertThat(counts("xhttps://evil.example 1http://evil.example https:// http://user@/ http://:80/ "
                        + "https://./ ftp://evil.example mailto:a@evil.example"))
                .containsExactly(0, 0, 0);
        assertThat(counts("(https://evil.example) [x](http://evil.example)")).containsExactly(2, 2, 0);
    }

    @Test
    void mentionsInsideLinksDoNotCount() {
        assertThat(counts("@alice see https://medium.example/@bob and https://@carol.example @dave"))
                .containsExactly(2, 2, 2); // @alice and @dave
        assertThat(counts("https://evil.example/x?to=@erin,@frank @grace")).containsExactly(1, 1, 1);
    }

    @Test
    void mentionsSkipEmailAddresses() {
        assertThat(analyze(null, "@alice hi @bob, mail bob@example.org, @@x (@carol) @ nobody a@b").mentionCount)
                .isEqualTo(3);
        assertThat(analyze("@dave", "@erin").mentionCount).isEqualTo(2);
    }

    @Test
    void lengthsAreCodePoints() {
        SpamInput input = analyze("Tïtle 🎉", "🎉🎉 ok");
        assertThat(input.titleLength).isEqualTo(7);
        assertThat(input.textLength).isEqualTo(5);
        SpamInput note = analyze(null, null);
        assertThat(note.titleLength).isNull();
        assertThat(note.textLength).isZero();
    }

    @Test
    void uppercaseRatioOverLettersOfTitleAndBody() {
        assertThat(analyze("AB", "cd 123 !!").uppercaseRatio).isEqualTo(0.5);
        assertThat(analyze(null, "ÀÉ").uppercaseRatio).isEqualTo(1.0);
        assertThat(analyze(null, "123 !!").uppercaseRatio).isEqualTo(0.0);
    }

    @Test
    void codeBlocksAreFencesAtLineStart() {
        assertThat(analyze(null, "text\n```\ncode\n```").hasCodeBlock).isTrue();
        assertThat(analyze(null, "   ~~~java\nx").hasCodeBlock).isTrue();
        assertThat(analyze(null, "    ```\nindented four: a code line, not a fence").hasCodeBlock)
                .isFalse();
        assertThat(analyze(null, "inline ``` is not a fence").hasCodeBlock).isFalse();
        assertThat(analyze("```", "title fences do not count").hasCodeBlock).isFalse();
    }

    @Test
    void textHashNormalizesCaseAndWhitespaceButKeepsDigits() {
        long hash = ContentText.hash(null, "hello world");
        assertThat(ContentText.hash(null, "  HELLO\t\n world ")).isEqualTo(hash);
        assertThat(ContentText.hash(null, "Hello\u00a0World")).isEqualTo(hash);
        assertThat(ContentText.hash("Hello", "world")).isEqualTo(hash);
        assertThat(ContentText.hash("", "hello world")).isEqualTo(hash);
        assertThat(ContentText.hash(null, "helloworld")).isNotEqualTo(hash);
        assertThat(ContentText.hash(null, "hello world 1")).isNotEqualTo(ContentText.hash(null, "hello world 2"));
        assertThat(ContentText.hash(null, "")).isNotEqualTo(hash);
        // The documented algorithm, recomputed here over the already-normalized text: the hash is a data
        // contract (text_repeat_count, _feature_set.json), so a change must be deliberate.
        assertThat(hash).isEqualTo(documentedHash("hello world"));
        assertThat(ContentText.hash("Ünï", "CODE\n\n42")).isEqualTo(documentedHash("ünï code 42"));
    }

    /** FNV-1a 64 over each UTF-16 unit (low byte, then high byte), then the SplitMix64 finalizer. */
    private static long documentedHash(String normalized) {
        long h = 0xcbf29ce484222325L;
        for (char c : normalized.toCharArray()) {
            h = (h ^ (c & 0xFF)) * 0x100000001b3L;
            h = (h ^ (c >>> 8)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
