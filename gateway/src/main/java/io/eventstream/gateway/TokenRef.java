package io.eventstream.gateway;

import io.eventstream.features.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a secret is: {@code env:NAME} (an environment variable, fixed for the process's life) or
 * {@code file:PATH} (re-read on an interval, so a rotated Kubernetes Secret or file takes effect without
 * a restart; one secret per non-blank line, so two can be valid during a rotation). The reference is
 * configuration; the value is never logged or put in a message.
 */
public record TokenRef(Kind kind, String location) {

    public enum Kind {
        ENV,
        FILE
    }

    static TokenRef parse(String key, String text, List<ConfigException.Problem> problems) {
        String value = text.trim();
        if (value.startsWith("env:") && value.length() > 4) {
            return new TokenRef(Kind.ENV, value.substring(4));
        }
        if (value.startsWith("file:") && value.length() > 5) {
            return new TokenRef(Kind.FILE, value.substring(5));
        }
        // Never echo the text: someone may have put the secret itself here.
        problems.add(new ConfigException.Problem(key, "expected env:NAME or file:PATH (the value is not shown)"));
        return null;
    }

    /**
     * The secrets this reference holds now: the variable's value, or the file's non-blank lines.
     *
     * @throws IOException when the variable is unset or the file unreadable (the message names the
     *                     reference, never a value)
     */
    public List<String> read(Map<String, String> environment) throws IOException {
        if (kind == Kind.ENV) {
            String value = environment.get(location);
            if (value == null || value.isBlank()) {
                throw new IOException("environment variable " + location + " is not set");
            }
            return List.of(value.strip());
        }
        List<String> secrets = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(location), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                secrets.add(line.strip());
            }
        }
        if (secrets.isEmpty()) {
            throw new IOException("token file " + location + " is empty");
        }
        return secrets;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase() + ":" + location;
    }
}
