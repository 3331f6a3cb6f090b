package dev.lsr.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class ServerLogLevelsTest {

    @Test
    void serverLoggersDropToWarnButConfiguredOnesAndClientsKeepTheirLevel() {
        ServerLogLevels.quietUnlessConfigured();

        Logger broker = LoggerFactory.getLogger("kafka.server.BrokerServer");
        assertFalse(broker.isInfoEnabled());
        assertTrue(broker.isWarnEnabled());
        assertFalse(LoggerFactory.getLogger("org.apache.kafka.controller.QuorumController")
                .isInfoEnabled());
        assertTrue(
                LoggerFactory.getLogger("org.apache.kafka.snapshot.Snapshots").isInfoEnabled(),
                "a level set in logback-test.xml wins");
        assertTrue(LoggerFactory.getLogger("dev.lsr.kafka.EmbeddedKafkaBroker").isInfoEnabled());
    }

    /** The consumer CLI keeps org.apache.kafka at ERROR; its broker used to print the controller's warnings anyway. */
    @Test
    void aQuieterParentLevelIsNeverMadeLouder() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger apacheKafka = context.getLogger("org.apache.kafka");
        Level before = apacheKafka.getLevel();
        ServerLogLevels.SERVER_LOGGERS.forEach(name -> context.getLogger(name).setLevel(null));
        apacheKafka.setLevel(Level.ERROR);
        try {
            ServerLogLevels.quietUnlessConfigured();

            Logger controller = LoggerFactory.getLogger("org.apache.kafka.controller.QuorumController");
            assertFalse(controller.isWarnEnabled(), "ERROR from org.apache.kafka, not WARN");
            assertTrue(controller.isErrorEnabled());
            assertFalse(LoggerFactory.getLogger("kafka.server.BrokerServer").isInfoEnabled(), "still quieted to WARN");
        } finally {
            apacheKafka.setLevel(before);
            ServerLogLevels.SERVER_LOGGERS.forEach(
                    name -> context.getLogger(name).setLevel(null));
        }
    }
}
