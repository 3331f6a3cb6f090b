package dev.lsr.sim.internal.http;

import dev.lsr.sim.ConnectionFault;
import dev.lsr.sim.internal.SimEngine;
import dev.lsr.sim.internal.store.Run;
import dev.lsr.sim.internal.store.RunStream;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a run's stream on a connection: counts the connection attempt, applies a scripted or random
 * rejection, checks resumability, and hands over to the {@link RunReader}.
 */
final class StreamService {

    private static final Logger LOG = LoggerFactory.getLogger(StreamService.class);

    static final String NOT_BACKGROUND = "Run was not created in background mode, so it cannot be retrieved.";
    static final String EXPIRED = "Run was created more than 3 hours ago, and is now expired.";

    private final SimEngine engine;
    private final RunReader reader;

    StreamService(SimEngine engine) {
        this.engine = engine;
        this.reader = new RunReader(engine.config().clock(), engine.config().keepaliveInterval());
    }

    /** 400 for a foreground run, 410 for one older than the retention. */
    void checkResumable(Run run, boolean checkBackground) {
        if (checkBackground && !run.info().background()) {
            throw HttpProblem.badRequest(NOT_BACKGROUND);
        }
        checkAge(run);
    }

    /** 410 for a run older than the retention. */
    void checkAge(Run run) {
        Instant expiry = run.info().createdAt().plus(engine.config().retention());
        if (engine.config().clock().instant().isAfter(expiry)) {
            throw new HttpProblem(410, EXPIRED);
        }
    }

    /** Streams a resume/attach/replay of a stored run. */
    void resume(Exchange exchange, Run run, ReadRequest request) throws IOException, InterruptedException {
        int attempt = run.nextConnection();
        int status = engine.faults().rejectStatus(run.id(), attempt, run.nextResume());
        if (status != 0) {
            LOG.info("run {}: fault: rejecting resume attempt {} with {}", run.id(), attempt, status);
            throw new HttpProblem(
                    status, status == 429 ? "Rate limit exceeded (letta-sim fault)" : "Server error (letta-sim fault)");
        }
        // a foreground run reached by run id / otid on the conversations route has nothing stored
        stream(exchange, run, run.info().background() ? run.stream() : engine.emptyStream(run.id()), request, attempt);
    }

    /** Streams the response of a send (attempt counted, no resume rejection). */
    void sendResponse(Exchange exchange, Run run, ReadRequest request) throws IOException, InterruptedException {
        int attempt = run.nextConnection();
        int status = engine.faults().rejectStatus(run.id(), attempt, 0);
        if (status != 0) {
            LOG.info("run {}: fault: answering send attempt {} with {} (the run goes on)", run.id(), attempt, status);
            throw new HttpProblem(status, "Server error (letta-sim fault)");
        }
        stream(exchange, run, run.stream(), request, attempt);
    }

    private void stream(Exchange exchange, Run run, RunStream stream, ReadRequest request, int attempt)
            throws IOException, InterruptedException {
        ConnectionFault fault = engine.faults().streamFault(run.id(), attempt, request.startingAfter());
        if (fault != null) {
            LOG.info("run {}: fault on connection {}: {}", run.id(), attempt, fault);
        }
        AtomicBoolean faultHappened = new AtomicBoolean(fault == null);
        try {
            reader.serve(run.id(), stream, request, fault, exchange.sse(), () -> faultHappened.set(true));
        } catch (IOException e) {
            if (!faultHappened.get()) {
                LOG.info(
                        "run {}: connection {} lost its client before its fault; the next connection takes it",
                        run.id(),
                        attempt);
                run.connectionLost(attempt);
            }
            throw e;
        }
    }
}
