package dev.lsr.kafka.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.ApiException;
import org.slf4j.ILoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps two kinds of broker log events out of the embedded broker's log, as they report nothing wrong
 * with the broker:
 * <ul>
 *   <li>the controller's WARN that it activates on an empty metadata log: the embedded broker has just
 *       formatted a new data directory;</li>
 *   <li>ReplicaManager's ERROR for a produce request it answered with an API error
 *       ({@code OutOfOrderSequenceException}, {@code ProducerFencedException}, {@code InvalidTxnStateException},
 *       ...): the error goes back to the producer, and the application using it reports what it means
 *       (Kafka itself logs the same event at INFO for {@code InvalidProducerEpochException}).</li>
 * </ul>
 * Both show again with their logger at DEBUG. Every other event passes, errors without an
 * {@link ApiException} included (a full disk, a failed log directory, a bug).
 */
final class ExpectedBrokerNoise extends TurboFilter {

    static final String QUORUM_CONTROLLER = "org.apache.kafka.controller.QuorumController";
    static final String REPLICA_MANAGER = "kafka.server.ReplicaManager";
    private static final String EMPTY_LOG_ACTIVATION =
            "Performing controller activation. The metadata log appears to be empty.";
    private static final String APPEND_ERROR = "Error processing append operation on partition";

    /** Adds the filter to the logback context behind {@code factory}, once. */
    static void install(ILoggerFactory factory) {
        LoggerContext context = (LoggerContext) factory;
        synchronized (context) {
            if (context.getTurboFilterList().stream().noneMatch(ExpectedBrokerNoise.class::isInstance)) {
                ExpectedBrokerNoise filter = new ExpectedBrokerNoise();
                filter.setName("embedded-kafka-expected-noise");
                filter.setContext(context);
                filter.start();
                context.addTurboFilter(filter);
            }
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // getEffectiveLevel, not isDebugEnabled: the latter would call this filter again.
        if (format == null || level == null || logger.getEffectiveLevel().levelInt <= Level.DEBUG_INT) {
            return FilterReply.NEUTRAL;
        }
        boolean emptyLogActivation = level == Level.WARN
                && logger.getName().equals(QUORUM_CONTROLLER)
                && format.contains(EMPTY_LOG_ACTIVATION);
        boolean refusedAppend = level == Level.ERROR
                && logger.getName().equals(REPLICA_MANAGER)
                && format.contains(APPEND_ERROR)
                && t instanceof ApiException;
        return emptyLogActivation || refusedAppend ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
