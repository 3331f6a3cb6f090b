package dev.lsr.sim.internal.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.sim.internal.RunFactory;
import dev.lsr.sim.internal.SimEngine;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Letta API of the simulator: authentication, routing, and turning failures into
 * {@code {"detail": ...}} answers (before the body starts) or aborted connections (after).
 * Runs on a virtual thread per request and blocks freely.
 */
public final class SimHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(SimHandler.class);

    private final Router router = new Router();
    private final byte[] expectedAuthorization;

    public SimHandler(SimEngine engine, RunFactory factory) {
        String apiKey = engine.config().apiKey();
        this.expectedAuthorization = apiKey == null ? null : ("Bearer " + apiKey).getBytes(UTF_8);
        StreamService streams = new StreamService(engine);
        RunsEndpoints runs = new RunsEndpoints(engine, streams);
        runs.register(router);
        new MessagesEndpoints(engine, streams, runs).register(router);
        new SendEndpoints(engine, factory, streams).register(router);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange fallback = new Exchange(request, response, callback, List.of());
        try {
            authorize(request);
            Router.Match match = router.match(request, response, callback);
            match.endpoint().handle(match.exchange());
        } catch (HttpProblem problem) {
            if (response.isCommitted()) {
                callback.failed(problem);
            } else {
                fallback.problem(problem);
            }
        } catch (RunReader.FaultEnded ended) {
            // the fault already ended or aborted the response
        } catch (IOException e) {
            LOG.debug(
                    "{} {}: client connection lost: {}",
                    request.getMethod(),
                    request.getHttpURI().getPath(),
                    e.toString());
            callback.failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
        } catch (Exception e) {
            LOG.warn("{} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
            if (response.isCommitted()) {
                callback.failed(e);
            } else {
                fallback.problem(new HttpProblem(500, "Internal Server Error"));
            }
        }
        return true;
    }

    private void authorize(Request request) {
        if (expectedAuthorization == null) {
            return;
        }
        String given = request.getHeaders().get("Authorization");
        if (given == null || !MessageDigest.isEqual(expectedAuthorization, given.getBytes(UTF_8))) {
            throw new HttpProblem(401, "Unauthorized: missing or invalid API key");
        }
    }
}
