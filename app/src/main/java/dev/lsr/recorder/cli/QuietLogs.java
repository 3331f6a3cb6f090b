package dev.lsr.recorder.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * For the demo, whose own lines tell the story: only warnings of the recorder and errors of Kafka
 * while it runs; {@link #close()} restores the levels. Does nothing when the logging backend is not
 * Logback.
 */
final class QuietLogs implements AutoCloseable {

    private static final Map<String, Level> DEMO_LEVELS = Map.of(
            org.slf4j.Logger.ROOT_LOGGER_NAME,
            Level.WARN,
            "dev.lsr",
            Level.WARN,
            "org.apache.kafka",
            Level.ERROR,
            "kafka",
            Level.ERROR);

    private final Map<Logger, Level> previous = new LinkedHashMap<>();

    private QuietLogs() {}

    static QuietLogs apply() {
        QuietLogs quiet = new QuietLogs();
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            DEMO_LEVELS.forEach((name, level) -> {
                Logger logger = logback.getLogger(name);
                quiet.previous.put(logger, logger.getLevel());
                logger.setLevel(level);
            });
        }
        return quiet;
    }

    @Override
    public void close() {
        previous.forEach(Logger::setLevel);
    }
}
