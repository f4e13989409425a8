package io.eventstream.features.config;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.windows.WindowSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Markdown pieces shared by the generated feature catalogues ({@code docs/*-features.md}): the
 * windows table, one table per dataset schema, and writing the document out.
 */
public final class CatalogueMarkdown {
    private CatalogueMarkdown() {}

    /** Writes a catalogue to the file named by the only argument, or to stdout without one. */
    public static void write(String text, String[] args) throws IOException {
        if (args.length == 0) {
            System.out.print(text);
        } else {
            Files.writeString(Path.of(args[0]), text, StandardCharsets.UTF_8);
        }
    }

    /** The table of windows (name, length, hop) under a lead line, followed by a blank line. */
    public static void windows(StringBuilder out, String lead, List<WindowSpec> windows) {
        out.append(lead).append("\n\n| window | length | hop |\n|---|---|---|\n");
        for (WindowSpec w : windows) {
            out.append("| `")
                    .append(w.name())
                    .append("` | ")
                    .append(Durations.formatMillis(w.lengthMillis()))
                    .append(" | ")
                    .append(Durations.formatMillis(w.hopMillis()))
                    .append(" |\n");
        }
        out.append('\n');
    }

    /** A section for one dataset or table: title, intro and every column with type, nullability and meaning. */
    public static void schema(StringBuilder out, String title, String intro, DatasetSchema schema) {
        out.append("## ").append(title).append("\n\n").append(intro).append("\n\n");
        out.append("| column | type | nullable | meaning and null rule |\n|---|---|---|---|\n");
        for (Column c : schema.columns()) {
            out.append("| `")
                    .append(c.name())
                    .append("` | ")
                    .append(c.type().name())
                    .append(" | ")
                    .append(c.nullable() ? "yes" : "no")
                    .append(" | ")
                    .append(c.description().replace("|", "\\|"))
                    .append(" |\n");
        }
        out.append('\n');
    }
}
