package io.eventstream.jobs.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects the log lines (level, logger, formatted message) of one logger and its children, INFO
 * and above, while open, to assert what an operator would read. It adds a logger configuration of
 * its own for the name, since the test logging configuration in effect may switch logging off
 * (flink-test-utils ships a {@code log4j2-test.properties} with the root logger OFF).
 */
public final class LogCapture implements AutoCloseable {
    private static final String NAME = "eventstream-log-capture";

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final String loggerName;
    private final LoggerContext context;
    private final AbstractAppender appender;

    private LogCapture(String loggerName) {
        this.loggerName = loggerName;
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        if (config.getLoggers().containsKey(loggerName)) {
            throw new IllegalStateException("the logging configuration already has a logger " + loggerName);
        }
        appender = new AbstractAppender(NAME, null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(event.getLevel() + " " + event.getLoggerName() + " "
                        + event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        LoggerConfig logger = LoggerConfig.newBuilder()
                .withLoggerName(loggerName)
                .withLevel(Level.INFO)
                .withAdditivity(true)
                .withConfig(config)
                .build();
        logger.addAppender(appender, Level.INFO, null);
        config.addLogger(loggerName, logger);
        context.updateLoggers();
    }

    /** Captures {@code loggerName} and the loggers under it, e.g. {@code io.eventstream.connectors.online}. */
    public static LogCapture start(String loggerName) {
        return new LogCapture(loggerName);
    }

    /** Lines so far that contain {@code text}. */
    public List<String> containing(String text) {
        return lines.stream().filter(line -> line.contains(text)).toList();
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        context.getConfiguration().removeLogger(loggerName);
        context.updateLoggers();
        appender.stop();
    }
}
