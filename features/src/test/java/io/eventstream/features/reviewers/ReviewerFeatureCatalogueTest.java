package io.eventstream.features.reviewers;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.DatasetSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed catalogue is the generated one. Regenerate after changing features or options:
 * {@code mvn -B -o -pl features test -Dtest=ReviewerFeatureCatalogueTest -Dcatalogue.write=true}.
 */
class ReviewerFeatureCatalogueTest {
    private static final Path DOC = Path.of("..", "docs", "reviewer-features.md");

    @Test
    void committedCatalogueEqualsTheGeneratedOne() throws IOException {
        String generated = ReviewerFeatureCatalogue.render();
        if (Boolean.getBoolean("catalogue.write")) {
            Files.writeString(DOC, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
                .as("docs/reviewer-features.md is stale; regenerate it (see this test's Javadoc)")
                .isEqualTo(generated);
    }

    @Test
    void catalogueDocumentsEveryColumnAndKey() {
        String generated = ReviewerFeatureCatalogue.render();
        ReviewerFeatureSet features = new ReviewerFeatureSet(ReviewerJobConfig.defaults());
        for (DatasetSchema schema : List.of(
                features.candidateSchema(),
                features.labelSchema(),
                features.onlineUserSchema(),
                features.onlinePathSchema())) {
            for (Column c : schema.columns()) {
                assertThat(generated)
                        .contains("| `" + c.name() + "` | " + c.type().name() + " | " + (c.nullable() ? "yes" : "no"));
            }
        }
        assertThat(generated).contains("| `candidates.lookback` |").contains("## Ranking candidates online");
    }
}
