package io.eventstream.features.spam;

import static io.eventstream.features.spam.TestEvents.event;
import static io.eventstream.features.spam.TestEvents.issue;
import static io.eventstream.features.spam.TestEvents.member;
import static io.eventstream.features.spam.TestEvents.note;
import static io.eventstream.features.spam.TestEvents.userCreated;
import static io.eventstream.features.spam.TestEvents.verdict;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.IssueData;
import io.eventstream.features.events.MemberData;
import io.eventstream.features.events.NoteData;
import io.eventstream.features.events.OrderedInput;
import io.eventstream.features.events.SpamVerdictData.Verdict;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpamInputsTest {
    private final SpamInputs inputs = new SpamInputs(
            "gitlab.example.com",
            "inputs-test-key-0123456789".getBytes(StandardCharsets.UTF_8),
            EmailDomains.shipped());

    @Test
    void contentEventsBecomeFeaturesWithoutText() throws Exception {
        String body = "Secret body with https://spam.example and @alice";
        SpamInput input = inputs.from(issue("e1", 1000, 7, 3L, "Buy NOW", body));
        assertThat(input.kind).isEqualTo(SpamInput.ISSUE_OPENED);
        assertThat(input.eventId).isEqualTo("e1");
        assertThat(input.timeMillis).isEqualTo(1000);
        assertThat(input.userId).isEqualTo(7);
        assertThat(input.projectId).isEqualTo(3L);
        assertThat(input.titleLength).isEqualTo(7);
        assertThat(input.textLength).isEqualTo(body.length());
        assertThat(input.linkCount).isEqualTo(1);
        assertThat(input.mentionCount).isEqualTo(1);
        for (Field field : SpamInput.class.getFields()) {
            if (field.getType() == String.class && !Modifier.isStatic(field.getModifiers())) {
                Object value = field.get(input);
                assertThat(value == null ? "" : (String) value)
                        .as(field.getName())
                        .doesNotContain("Secret")
                        .doesNotContain("Buy")
                        .doesNotContain("alice");
            }
        }
    }

    @Test
    void whoTheUserIs() {
        IssueData byActor =
                new IssueData(1L, null, 1, 1, null, 9L, "t", null, "opened", false, "Issue", List.of(), List.of());
        assertThat(inputs.from(event("a", 1, EventType.ISSUE_OPENED, byActor)).userId)
                .isEqualTo(9);
        IssueData nobody =
                new IssueData(1L, null, 1, 1, null, null, "t", null, "opened", false, "Issue", List.of(), List.of());
        assertThat(inputs.from(event("b", 1, EventType.ISSUE_OPENED, nobody))).isNull();
        SpamInput verdict = inputs.from(verdict("v", 1, 4, Verdict.DISALLOW));
        assertThat(verdict.kind).isEqualTo(SpamInput.SPAM_VERDICT);
        assertThat(verdict.userId).isEqualTo(4);
    }

    @Test
    void irrelevantEventsGiveNull() {
        NoteData system = new NoteData(1L, 1, 2, NoteData.ISSUE, 1L, 1L, null, "changed the title", true, false, null);
        assertThat(inputs.from(event("s", 1, EventType.NOTE_CREATED, system))).isNull();
        assertThat(inputs.from(
                        event("g", 1, EventType.MEMBER_ADDED, new MemberData(2, MemberData.GROUP, null, 5L, 30, null))))
                .isNull();
        for (Verdict v : Set.of(Verdict.ALLOW, Verdict.CONDITIONAL_ALLOW, Verdict.NOOP)) {
            assertThat(inputs.from(verdict("v", 1, 4, v))).as(v.name()).isNull();
        }
        IssueData data =
                new IssueData(1L, null, 1, 1, 2L, 2L, "t", null, "opened", false, "Issue", List.of(), List.of());
        assertThat(inputs.from(event("u", 1, EventType.ISSUE_UPDATED, data))).isNull();
        assertThat(inputs.from(event("c", 1, EventType.ISSUE_CLOSED, data))).isNull();
    }

    @Test
    void membershipKinds() {
        assertThat(inputs.from(member("a", 1, EventType.MEMBER_ADDED, 2, 5)).kind)
                .isEqualTo(SpamInput.MEMBER_ADDED);
        assertThat(inputs.from(member("u", 1, EventType.MEMBER_UPDATED, 2, 5)).kind)
                .isEqualTo(SpamInput.MEMBER_ADDED);
        SpamInput removed = inputs.from(member("r", 1, EventType.MEMBER_REMOVED, 2, 5));
        assertThat(removed.kind).isEqualTo(SpamInput.MEMBER_REMOVED);
        assertThat(removed.projectId).isEqualTo(5L);
    }

    @Test
    void emailsBecomeADomainClassAndAKeyedHash() {
        SpamInput gmail = inputs.from(userCreated("u1", 1, 1, "Someone@GMAIL.com"));
        assertThat(gmail.emailDomainClass).isEqualTo("webmail");
        assertThat(gmail.emailDomainHash)
                .hasSize(16)
                .isEqualTo(inputs.domainHash("gmail.com"))
                .doesNotContain("gmail");
        assertThat(inputs.from(userCreated("u2", 1, 1, "x@eu.mailinator.com")).emailDomainClass)
                .isEqualTo("disposable");
        assertThat(inputs.from(userCreated("u3", 1, 1, "dev@corp.example.org")).emailDomainClass)
                .isEqualTo("other");
        SpamInput redacted = inputs.from(userCreated("u4", 1, 1, null));
        assertThat(redacted.emailDomainClass).isEqualTo("unknown");
        assertThat(redacted.emailDomainHash).isNull();
        assertThat(inputs.from(userCreated("u5", 1, 1, "not-an-email")).emailDomainClass)
                .isEqualTo("unknown");
        SpamInputs otherKey = new SpamInputs(
                "gitlab.example.com",
                "another-key-0123456789".getBytes(StandardCharsets.UTF_8),
                EmailDomains.shipped());
        assertThat(otherKey.domainHash("gmail.com")).isNotEqualTo(inputs.domainHash("gmail.com"));
    }

    @Test
    void keyedHashIsHmacSha256() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        SpamInputs jefe =
                new SpamInputs("gitlab.example.com", "Jefe".getBytes(StandardCharsets.UTF_8), EmailDomains.shipped());
        assertThat(jefe.domainHash("what do ya want for nothing?")).isEqualTo("5bdcc146bf60754e");
    }

    @Test
    void domainsAreParsedStrictly() {
        assertThat(EmailDomains.domainOf("A@B.Example.COM.")).isEqualTo("b.example.com");
        assertThat(EmailDomains.domainOf("a@localhost")).isNull();
        assertThat(EmailDomains.domainOf("@example.com")).isNull();
        assertThat(EmailDomains.domainOf("a@exa mple.com")).isNull();
        assertThat(EmailDomains.domainOf("a@.example.com")).isNull();
    }

    /**
     * Flink serializes a class as a POJO only when it is public with a public no-arg constructor and
     * every field is public (or has getters and setters); anything else, or a List/Map/enum field,
     * sends it to Kryo. This guards SpamInput's shape from here, without Flink on the classpath.
     */
    @Test
    void spamInputIsAFlatFlinkPojo() throws Exception {
        assertThat(Modifier.isPublic(SpamInput.class.getModifiers())).isTrue();
        assertThat(SpamInput.class.getConstructor().newInstance()).isNotNull();
        Set<Class<?>> allowed = Set.of(
                long.class,
                int.class,
                double.class,
                boolean.class,
                Long.class,
                Integer.class,
                Double.class,
                Boolean.class,
                String.class);
        for (Field field : SpamInput.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            assertThat(Modifier.isPublic(field.getModifiers()))
                    .as(field.getName())
                    .isTrue();
            assertThat(Modifier.isFinal(field.getModifiers()))
                    .as(field.getName())
                    .isFalse();
            assertThat(allowed).as(field.getName()).contains(field.getType());
        }
    }

    @Test
    void applyOrderIsTimeThenId() {
        CloudEvent a = note("b", 5, 1, 1L, "x");
        CloudEvent b = note("a", 5, 1, 1L, "x");
        CloudEvent c = note("0", 4, 1, 1L, "x");
        assertThat(OrderedInput.compareOrder(inputs.from(a), inputs.from(b))).isPositive();
        assertThat(OrderedInput.compareOrder(inputs.from(c), inputs.from(b))).isNegative();
    }
}
