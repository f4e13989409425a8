package io.eventstream.features.spam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.datasets.Column;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed catalogue and the Python copy of the declarations are the generated ones.
 * Regenerate after changing features or options:
 * {@code mvn -B -o -pl features test -Dtest=SpamFeatureCatalogueTest -Dcatalogue.write=true}.
 */
class SpamFeatureCatalogueTest {
    private static final Path DOC = Path.of("..", "docs", "spam-features.md");
    private static final Path PYTHON_DECLARATIONS =
            Path.of("..", "notebooks", "eventstream_features", "spam_declarations.py");

    @Test
    void committedCatalogueEqualsTheGeneratedOne() throws IOException {
        String generated = SpamFeatureCatalogue.render();
        if (Boolean.getBoolean("catalogue.write")) {
            Files.writeString(DOC, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
                .as("docs/spam-features.md is stale; regenerate it (see this test's Javadoc)")
                .isEqualTo(generated);
    }

    @Test
    void committedPythonDeclarationsEqualTheGeneratedOnes() throws IOException {
        String generated = SpamFeatureCatalogue.pythonDeclarations();
        if (Boolean.getBoolean("catalogue.write")) {
            Files.writeString(PYTHON_DECLARATIONS, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(PYTHON_DECLARATIONS, StandardCharsets.UTF_8))
                .as(
                        "notebooks/eventstream_features/spam_declarations.py is stale; regenerate it (see this test's Javadoc)")
                .isEqualTo(generated);
    }

    @Test
    void catalogueDocumentsEveryColumn() {
        String generated = SpamFeatureCatalogue.render();
        SpamFeatureSet features = new SpamFeatureSet(io.eventstream.features.config.SpamJobConfig.defaults());
        for (Column c : features.featureSchema().columns()) {
            assertThat(generated)
                    .contains("| `" + c.name() + "` | " + c.type().name() + " | " + (c.nullable() ? "yes" : "no"));
        }
        assertThat(generated).contains("| `state.ttl` |").contains("| `windows.<name>.hop` |");
    }
}
