package io.eventstream.jobs.cli;

import io.eventstream.features.config.ConfigException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;

/** The job config a command's {@code --config} names, as every job's command loads it. */
final class ConfigFile {
    private ConfigFile() {}

    /**
     * {@code loader} applied to {@code file} (null: no {@code --config}, the loader gives the
     * defaults); a bad config gives {@code err} one line naming the file and gives null (the
     * command exits 2).
     */
    static <C> C load(Path file, Function<Path, C> loader, Consumer<String> err) {
        try {
            return loader.apply(file);
        } catch (ConfigException e) {
            err.accept("eventstream: bad config" + (file == null ? "" : " " + file) + ": " + e.getMessage());
            return null;
        }
    }
}
