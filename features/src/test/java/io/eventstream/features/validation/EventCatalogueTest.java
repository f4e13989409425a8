package io.eventstream.features.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.events.EventType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EventCatalogueTest {
    /** Surefire runs in the module directory; the page lives at the repository root. */
    private static final Path COMMITTED = Path.of("..").resolve(EventCatalogue.DEFAULT_OUTPUT);

    private final String page = new EventCatalogue().render();

    @Test
    void committedCatalogueIsTheGeneratedOne() throws IOException {
        assertThat(COMMITTED)
                .as("docs/event-catalogue.md; run %s from the repository root", EventCatalogue.REGENERATE_COMMAND)
                .exists();
        assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
                .as(
                        "docs/event-catalogue.md is stale: run %s from the repository root and commit the result",
                        EventCatalogue.REGENERATE_COMMAND)
                .isEqualTo(page);
    }

    @Test
    void everyTypeIsListedInTheIndexAndInItsSection() {
        for (EventType type : EventType.values()) {
            String row = "| `" + type.type() + "` |";
            assertThat(page.split(java.util.regex.Pattern.quote(row), -1))
                    .as(type.type())
                    .hasSize(3);
        }
    }

    @Test
    void fieldRowsShowTypeRequiredPersonalAndDescription() {
        assertThat(page)
                .contains(
                        "| `com.gitlab.note.created` | [NoteData](#notedata) | `projects/{project_id}/notes/{note_id}` |\n")
                .contains("| `body` | string | no | TEXT | Note text. |\n")
                .contains("| `note_id` | integer | yes |  | Note id. |\n")
                .contains(
                        "| `diff_position` | DiffPosition | no |  | Where a diff note sits; null for notes that are not on a diff line. |\n")
                .contains(
                        "| `diff_position.new_line` | integer | no |  | Line in the new file; null for a removed line. |\n")
                .contains(
                        "| `commits` | array of CommitData | no |  | The listed commits, oldest first as GitLab sends them. |\n")
                .contains("| `commits[].added` | array of string | no |  | Paths added. |\n")
                .contains(
                        "| `email` | string | no | IDENTITY | Primary email; null when GitLab sent [REDACTED] or nothing. |\n")
                .contains("| `verdict` | enum: ALLOW, CONDITIONAL_ALLOW, DISALLOW, BLOCK, NOOP | no |  |")
                .contains("| `time` | string (date-time) | yes | When it happened in GitLab")
                .contains("| `com.gitlab.user.failed_login` | A login attempt failed for an existing account. "
                        + "| `users/{user_id}` | System Hook: event_name=user_failed_login |\n");
    }

    @Test
    void typesSharingADataRecordShareOneSection() {
        assertThat(page.split("\n## ", -1)).hasSize(1 + 2 + 11);
        assertThat(page).contains("\n## GenericData\n");
    }
}
