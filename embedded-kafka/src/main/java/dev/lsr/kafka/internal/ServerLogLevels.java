package dev.lsr.kafka.internal;

import java.lang.reflect.Method;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Turns Kafka's server-side loggers down to WARN under logback, unless the application's logback
 * configuration already sets a level for them or for a parent that is quieter still (never louder:
 * an application that keeps {@code org.apache.kafka} at ERROR gets no broker warnings), and installs
 * {@link ExpectedBrokerNoise}. Reflection keeps this library on the SLF4J API only; with any other
 * SLF4J backend this does nothing.
 */
public final class ServerLogLevels {

    /** The logger names the broker's own classes log under (the clients' loggers are left alone). */
    public static final List<String> SERVER_LOGGERS = List.of(
            "kafka",
            "state.change.logger",
            "org.apache.kafka.server",
            "org.apache.kafka.controller",
            "org.apache.kafka.raft",
            "org.apache.kafka.metadata",
            "org.apache.kafka.image",
            "org.apache.kafka.storage",
            "org.apache.kafka.coordinator",
            "org.apache.kafka.queue",
            "org.apache.kafka.snapshot",
            "org.apache.kafka.security",
            "org.apache.kafka.network");

    private static final String LOGBACK_CONTEXT = "ch.qos.logback.classic.LoggerContext";

    private ServerLogLevels() {}

    /**
     * Sets WARN on each of {@link #SERVER_LOGGERS} that has no level of its own yet and would log
     * more than warnings, and installs {@link ExpectedBrokerNoise} (once).
     */
    public static void quietUnlessConfigured() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!factory.getClass().getName().equals(LOGBACK_CONTEXT)) {
            return;
        }
        try {
            Class<?> levelClass = Class.forName(
                    "ch.qos.logback.classic.Level", true, factory.getClass().getClassLoader());
            Object warn = levelClass.getField("WARN").get(null);
            Method isGreaterOrEqual = levelClass.getMethod("isGreaterOrEqual", levelClass);
            for (String name : SERVER_LOGGERS) {
                Object logger = factory.getLogger(name);
                Object own = logger.getClass().getMethod("getLevel").invoke(logger);
                Object effective =
                        logger.getClass().getMethod("getEffectiveLevel").invoke(logger);
                if (own == null && !(boolean) isGreaterOrEqual.invoke(effective, warn)) {
                    logger.getClass().getMethod("setLevel", levelClass).invoke(logger, warn);
                }
            }
            // First loaded here, where logback is known to be present (an optional dependency of this library).
            ExpectedBrokerNoise.install(factory);
        } catch (ReflectiveOperationException | LinkageError e) {
            LoggerFactory.getLogger(ServerLogLevels.class).debug("cannot adjust logback levels", e);
        }
    }
}
