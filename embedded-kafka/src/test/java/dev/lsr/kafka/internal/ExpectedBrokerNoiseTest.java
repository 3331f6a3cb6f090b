package dev.lsr.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the embedded broker's log keeps: real errors, and not the events that report nothing wrong. */
class ExpectedBrokerNoiseTest {

    private static final String APPEND_ERROR =
            "[ReplicaManager broker=1] Error processing append operation on partition " + "abc:letta.chunks-3";

    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> appended = new ListAppender<>();
    private final Logger replicaManager = context.getLogger(ExpectedBrokerNoise.REPLICA_MANAGER);
    private final Logger controller = context.getLogger(ExpectedBrokerNoise.QUORUM_CONTROLLER);

    @BeforeEach
    void setUp() {
        appended.setContext(context);
        appended.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appended);
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        ExpectedBrokerNoise.install(context);
        ExpectedBrokerNoise.install(context);
    }

    @AfterEach
    void tearDown() {
        context.stop();
    }

    @Test
    void anAppendTheBrokerAnsweredWithAnApiErrorIsTheProducersToReport() {
        replicaManager.error(APPEND_ERROR, new OutOfOrderSequenceException("Out of order sequence number"));
        replicaManager.error(APPEND_ERROR, new ProducerFencedException("fenced"));
        assertEquals(List.of(), messages());
    }

    @Test
    void otherBrokerErrorsStay() {
        replicaManager.error(APPEND_ERROR, new IllegalStateException("a bug"));
        replicaManager.error(
                "[ReplicaManager broker=1] Error while making broker the leader", new KafkaStorageException("disk"));
        replicaManager.warn(APPEND_ERROR, new OutOfOrderSequenceException("logged at WARN by some other version"));
        assertEquals(3, messages().size(), messages().toString());
    }

    @Test
    void activatingTheControllerOnTheLogItJustFormattedIsNoWarning() {
        controller.warn(
                "[QuorumController id=1] Performing controller activation. The metadata log appears to be empty. "
                        + "Appending 6 bootstrap record(s) in metadata transaction at metadata.version 4.4-IV2");
        controller.warn("[QuorumController id=1] Performing controller activation. Aborting partial bootstrap records "
                + "transaction at offset 3. Re-appending 6 bootstrap record(s)");
        assertEquals(1, messages().size(), messages().toString());
    }

    @Test
    void atDebugEverythingShows() {
        replicaManager.setLevel(Level.DEBUG);
        replicaManager.error(APPEND_ERROR, new OutOfOrderSequenceException("Out of order sequence number"));
        assertEquals(1, messages().size());
    }

    @Test
    void installedOnce() {
        assertEquals(1, context.getTurboFilterList().size());
    }

    private List<String> messages() {
        return appended.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
