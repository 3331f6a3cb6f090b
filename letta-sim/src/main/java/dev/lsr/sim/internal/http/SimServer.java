package dev.lsr.sim.internal.http;

import dev.lsr.sim.internal.RunFactory;
import dev.lsr.sim.internal.SimEngine;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The HTTP server. Jetty 12 (core API, no servlets) because it can do all three things a Letta
 * simulator needs, which the JDK's {@code com.sun.net.httpserver} cannot: (a) a chunked body with a
 * flush per SSE frame, (b) an abrupt abort mid-body (failing the handler callback after commit closes
 * the connection without the terminal chunk, so clients get an I/O error, not a clean end), and
 * (c) thousands of concurrent streams: every request runs on its own virtual thread
 * ({@link VirtualThreadPool}), so a blocked reader costs a few KB, not a platform thread.
 */
public final class SimServer implements AutoCloseable {

    private static final int MAX_CONCURRENT_REQUESTS = 100_000;
    private static final int ACCEPT_QUEUE = 4096;

    private final Server server;
    private final ServerConnector connector;

    public SimServer(SimEngine engine, RunFactory factory) {
        VirtualThreadPool threads = new VirtualThreadPool(MAX_CONCURRENT_REQUESTS);
        threads.setName("letta-sim");
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(engine.config().host());
        connector.setPort(engine.config().port());
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        connector.setIdleTimeout(30 * 60 * 1000L);
        server.addConnector(connector);
        server.setHandler(new SimHandler(engine, factory));
        server.setStopTimeout(0);
    }

    /** Binds and starts serving. */
    public void start() throws Exception {
        server.start();
    }

    /** The bound port. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The bound host. */
    public String host() {
        return connector.getHost();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the HTTP server failed", e);
        }
    }
}
