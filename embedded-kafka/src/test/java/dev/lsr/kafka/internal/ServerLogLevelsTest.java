package dev.lsr.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertFalse(LoggerFactory.getLogger("org.apache.kafka.controller.QuorumController").isInfoEnabled());
        assertTrue(LoggerFactory.getLogger("org.apache.kafka.snapshot.Snapshots").isInfoEnabled(),
                "a level set in logback-test.xml wins");
        assertTrue(LoggerFactory.getLogger("dev.lsr.kafka.EmbeddedKafkaBroker").isInfoEnabled());
    }
}
