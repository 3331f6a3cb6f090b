package dev.lsr.recorder.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures everything logged in this JVM from now on (the {@code dev.lsr} loggers at DEBUG, the rest
 * at INFO), as the text an appender would write: message, MDC and throwables. Attaches to the root
 * and to {@code dev.lsr}, which the test logging configuration keeps apart.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final List<String> lines = new ArrayList<>();
    private final List<ILoggingEvent> events = new ArrayList<>();
    private final Logger root;
    private final Logger ours;
    private final Level rootLevel;
    private final Level oursLevel;

    private LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ours = context.getLogger("dev.lsr");
        rootLevel = root.getLevel();
        oursLevel = ours.getLevel();
        setContext(context);
        setName("capture");
    }

    public static LogCapture capture() {
        LogCapture capture = new LogCapture();
        capture.start0();
        return capture;
    }

    private void start0() {
        start();
        root.addAppender(this);
        ours.addAppender(this);
        root.setLevel(Level.INFO);
        ours.setLevel(Level.DEBUG);
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        events.add(event);
        StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " "
                + event.getMDCPropertyMap() + " " + event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                line.append(' ').append(frame.getSTEAsString());
            }
        }
        lines.add(line.toString());
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized List<ILoggingEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        root.detachAppender(this);
        ours.detachAppender(this);
        root.setLevel(rootLevel);
        ours.setLevel(oursLevel);
        stop();
    }
}
