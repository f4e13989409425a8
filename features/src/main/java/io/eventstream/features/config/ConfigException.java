package io.eventstream.features.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be used. Each problem names the offending key, e.g.
 * {@code windows.1h.hop: 7m does not divide length 1h}; the message lists all of them, one per
 * line, so an operator fixes a file in one pass. Messages never contain secret values.
 */
public final class ConfigException extends RuntimeException {

    /** One problem: the dotted key it is about and what is wrong. */
    public record Problem(String key, String message) {
        @Override
        public String toString() {
            return key + ": " + message;
        }
    }

    private final List<Problem> problems;

    public ConfigException(String key, String message) {
        this(List.of(new Problem(key, message)));
    }

    public ConfigException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    /** The key of the first problem. */
    public String key() {
        return problems.get(0).key();
    }
}
