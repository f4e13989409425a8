package io.eventstream.features.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.features.events.EventError;
import io.eventstream.features.events.ReasonCode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {
    private static JsonFields parse(String json) throws Exception {
        return JsonFields.root(new ObjectMapper().readTree(json));
    }

    private static EventError errorOf(Runnable read) {
        return catchThrowableOfType(PayloadException.class, read::run).error();
    }

    @Test
    void idsAsNumbersStringsAndGids() throws Exception {
        JsonFields f = parse("{\"a\":42,\"b\":\"42\",\"c\":\" 42 \",\"d\":\"gid://gitlab/User/42\",\"e\":42.0,"
                + "\"f\":\"\",\"g\":null,\"h\":[\"1\",2,\"gid://gitlab/Group/3\",null]}");
        for (String name : List.of("a", "b", "c", "d", "e")) {
            assertThat(f.id(name)).as(name).isEqualTo(42L);
        }
        assertThat(f.id("f")).isNull();
        assertThat(f.id("g")).isNull();
        assertThat(f.id("absent")).isNull();
        assertThat(f.ids("h")).containsExactly(1L, 2L, 3L);
        assertThat(f.ids("absent")).isEmpty();
    }

    @Test
    void badIdsNameTheirPathWithoutQuotingTheValue() throws Exception {
        JsonFields f = parse("{\"o\":{\"id\":\"alice@example.com\",\"big\":123456789012345678901234567890,"
                + "\"frac\":1.5,\"obj\":{}}}");
        JsonFields o = f.object("o");
        EventError error = errorOf(() -> o.id("id"));
        assertThat(error).isEqualTo(new EventError(ReasonCode.INVALID_FIELD, "o.id", "'o.id' must be a numeric id"));
        assertThat(errorOf(() -> o.id("big")).field()).isEqualTo("o.big");
        assertThat(errorOf(() -> o.id("frac")).field()).isEqualTo("o.frac");
        assertThat(errorOf(() -> o.id("obj")).field()).isEqualTo("o.obj");
        assertThat(errorOf(() -> o.requiredId("absent"))).isEqualTo(EventError.missing("o.absent"));
    }

    @Test
    void booleansInEveryGitLabSpelling() throws Exception {
        JsonFields f = parse("{\"t1\":true,\"t2\":\"1\",\"t3\":1,\"t4\":\"true\",\"f1\":false,\"f2\":\"0\",\"f3\":0,"
                + "\"f4\":\"false\",\"n1\":\"\",\"n2\":null,\"bad\":\"yes\"}");
        for (String name : List.of("t1", "t2", "t3", "t4")) {
            assertThat(f.bool(name)).as(name).isTrue();
        }
        for (String name : List.of("f1", "f2", "f3", "f4")) {
            assertThat(f.bool(name)).as(name).isFalse();
        }
        assertThat(f.bool("n1")).isNull();
        assertThat(f.bool("n2")).isNull();
        assertThat(f.flag("absent")).isFalse();
        assertThat(errorOf(() -> f.bool("bad")).reason()).isEqualTo(ReasonCode.INVALID_FIELD);
    }

    @Test
    void emptyStringsAreAbsentTextIsKeptAsSentKeywordsAreTrimmed() throws Exception {
        JsonFields f = parse("{\"empty\":\"\",\"text\":\"  spaced  \",\"state \":\"merged \",\"email\":\"[REDACTED]\","
                + "\"mail\":\"a@b.c\"}");
        assertThat(f.text("empty")).isNull();
        assertThat(f.text("text")).isEqualTo("  spaced  ");
        assertThat(f.keyword("text")).isEqualTo("spaced");
        // A key with a trailing space, as in a GitLab docs example that clients copied.
        assertThat(f.keyword("state")).isEqualTo("merged");
        assertThat(f.email("email")).isNull();
        assertThat(f.email("mail")).isEqualTo("a@b.c");
    }

    @Test
    void timestampsParseOrFailWithBadTimestamp() throws Exception {
        JsonFields f = parse("{\"a\":{\"ok\":\"2021-04-28 21:50:00 +0200\",\"bad\":\"next tuesday\",\"empty\":\"\"}}");
        JsonFields a = f.object("a");
        assertThat(a.time("ok")).isEqualTo(Instant.parse("2021-04-28T19:50:00Z"));
        assertThat(a.time("empty")).isNull();
        EventError error = errorOf(() -> a.time("bad"));
        assertThat(error.reason()).isEqualTo(ReasonCode.BAD_TIMESTAMP);
        assertThat(error.field()).isEqualTo("a.bad");
        assertThat(error.message()).doesNotContain("tuesday");
    }

    @Test
    void changesAsObjectOrArrayAndUserIdsFromObjectsOrIds() throws Exception {
        JsonFields object =
                parse("{\"changes\":{\"reviewers\":{\"previous\":[{\"id\":1},{\"id\":\"2\"}],\"current\":[3]}}}");
        JsonFields reviewers = object.changes().object("reviewers");
        assertThat(reviewers.userIds("previous")).containsExactly(1L, 2L);
        assertThat(reviewers.userIds("current")).containsExactly(3L);
        JsonFields array = parse("{\"changes\":[{\"before\":\"a\",\"after\":\"b\",\"ref\":\"refs/heads/main\"}]}");
        assertThat(array.changes().isPresent()).isFalse();
        assertThat(array.changes().object("reviewers").isPresent()).isFalse();
    }

    @Test
    void missingNestedObjectsReadAsAbsentWrongShapesAreInvalid() throws Exception {
        JsonFields f = parse("{\"user\":null,\"project\":\"42\",\"labels\":{}}");
        assertThat(f.object("user").isPresent()).isFalse();
        assertThat(f.object("user").id("id")).isNull();
        assertThat(f.object("absent").object("deeper").keyword("x")).isNull();
        assertThat(errorOf(() -> f.object("project")).field()).isEqualTo("project");
        assertThat(errorOf(() -> f.objects("labels")).field()).isEqualTo("labels");
    }
}
