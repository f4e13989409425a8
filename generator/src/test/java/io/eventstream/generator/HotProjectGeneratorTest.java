package io.eventstream.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.MemberData;
import io.eventstream.features.events.MergeRequestData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The generator's hot project option: who joins it, that it is the busiest, and that it stays deterministic. */
class HotProjectGeneratorTest {
    private static final int USERS = 60;
    private static final int HOT_MEMBERS = 150;
    private static final GeneratorConfig HOT =
            GeneratorConfig.of(7, USERS, 5, 5).withHotProject(HOT_MEMBERS, 2.0);

    @Test
    void everyExtraDeveloperJoinsProject100AndItIsTheBusiestProject() {
        Set<Long> joinedHot = new TreeSet<>();
        Map<Long, Integer> openedByProject = new HashMap<>();
        for (CloudEvent event : SyntheticEventGenerator.generateAll(HOT)) {
            if (event.type() == EventType.MEMBER_ADDED) {
                MemberData member = event.dataAs(MemberData.class);
                if (member.projectId() != null && member.projectId() == 100 && member.userId() >= 10 + USERS) {
                    joinedHot.add(member.userId());
                }
            } else if (event.type() == EventType.MERGE_REQUEST_OPENED) {
                openedByProject.merge(event.dataAs(MergeRequestData.class).projectId(), 1, Integer::sum);
            }
        }
        // The extra developers have the ids after every other user's: 10 + USERS .. 10 + USERS + HOT_MEMBERS - 1.
        Set<Long> expected = new TreeSet<>();
        for (long id = 10 + USERS; id < 10 + USERS + HOT_MEMBERS; id++) {
            expected.add(id);
        }
        assertThat(joinedHot).isEqualTo(expected);
        int hot = openedByProject.getOrDefault(100L, 0);
        assertThat(hot).isPositive();
        openedByProject.forEach((project, opened) -> {
            if (project != 100L) {
                assertThat(opened).as("merge requests of project %d", project).isLessThan(hot);
            }
        });
    }

    @Test
    void sameConfigGivesTheSameEvents() {
        assertThat(encoded(HOT)).isEqualTo(encoded(HOT));
        assertThat(encoded(HOT)).isNotEqualTo(encoded(HOT.withHotProject(HOT_MEMBERS, 1.0)));
    }

    @Test
    void withoutHotMembersTheConfigIsTheOneWithoutTheOption() {
        GeneratorConfig plain = GeneratorConfig.of(7, USERS, 5, 5);
        assertThat(plain.hotProjectMembers()).isZero();
        assertThat(encoded(plain.withHotProject(0, 3.0))).isEqualTo(encoded(plain));
    }

    @Test
    void badHotSettingsAreRefusedByName() {
        assertThatThrownBy(() -> GeneratorConfig.of(1, 10, 2, 1).withHotProject(-1, 1.0))
                .hasMessageContaining("hotProjectMembers");
        assertThatThrownBy(() -> GeneratorConfig.of(1, 10, 2, 1).withHotProject(10, 0))
                .hasMessageContaining("hotMemberSessionsPerDay");
    }

    private static List<String> encoded(GeneratorConfig config) {
        CloudEventJson json = new CloudEventJson();
        List<String> lines = new ArrayList<>();
        for (CloudEvent event : SyntheticEventGenerator.generateAll(config)) {
            lines.add(new String(json.write(event), java.nio.charset.StandardCharsets.UTF_8));
        }
        return lines;
    }
}
