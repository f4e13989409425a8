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
        SpamInput input = analyze("Look: HTTPS://Evil.example/y", "See https://gitlab.example.com/a, "
                + "http://docs.gitlab.example.com/x and https://gitlab.example.com.evil.net/z "
                + "and https:// (no host) and ftp://old.example");
        assertThat(input.linkCount).isEqualTo(4);
        assertThat(input.externalLinkCount).isEqualTo(2); // evil.example, gitlab.example.com.evil.net
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
        assertThat(analyze(null, "    ```\nindented four: a code line, not a fence").hasCodeBlock).isFalse();
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
