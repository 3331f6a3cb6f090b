package dev.lsr.kernel;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;

/** What one logger writes from now on (DEBUG and up), until closed. */
final class LogLines implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogLines(Logger logger) {
        this.logger = logger;
        logger.setLevel(Level.DEBUG);
        appender.start();
        logger.addAppender(appender);
    }

    static LogLines of(org.slf4j.Logger logger) {
        return new LogLines((Logger) logger);
    }

    /** {@code LEVEL message} of every event at {@code level} or above. */
    List<String> atLeast(Level level) {
        return appender.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(level))
                .map(e -> e.getLevel() + " " + e.getFormattedMessage())
                .toList();
    }

    long count(Level level) {
        return appender.list.stream().filter(e -> e.getLevel() == level).count();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
