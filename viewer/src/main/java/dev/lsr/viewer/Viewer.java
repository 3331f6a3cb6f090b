package dev.lsr.viewer;

import com.sun.net.httpserver.HttpHandler;
import dev.lsr.kernel.http.WriteDeadline;
import dev.lsr.viewer.internal.http.EventStream;
import dev.lsr.viewer.internal.http.ViewerHandler;
import dev.lsr.viewer.internal.log.LogFollower;
import dev.lsr.viewer.internal.log.LogRuns;
import dev.lsr.viewer.model.RunCatalog;
import java.time.Duration;
import java.util.Map;

/**
 * The run viewer: server-rendered pages of the runs in a chunk log, as plain JDK {@link HttpHandler}s
 * that any {@code com.sun.net.httpserver.HttpServer} mounts ({@code consumer serve} mounts them at
 * {@code /}):
 *
 * <pre>{@code
 * Viewer viewer = Viewer.start(
 *         settings.clientProperties(), "letta.chunks", Duration.ofSeconds(10), WriteDeadline.DEFAULT_LIMIT);
 * viewer.handlers().forEach(server::createContext);   // before server.start(); the server's executor
 *                                                      // should be virtual threads (live pages hold one)
 * ...
 * viewer.close();                                      // after server.stop()
 * }</pre>
 *
 * Starting it starts one thread that follows the log from its beginning into the runs catalog; a run
 * page replays its run's partition. Nothing of the client properties (credentials) is ever rendered.
 */
public final class Viewer implements AutoCloseable {

    private final RunCatalog catalog = new RunCatalog();
    private final EventStream events;
    private final LogFollower follower;
    private final ViewerHandler handler;

    private Viewer(LogRuns.LogAccess log, Duration writeTimeout) {
        this.events = new EventStream(catalog, writeTimeout);
        this.follower = new LogFollower(log, catalog);
        this.handler = new ViewerHandler(catalog, new LogRuns(log, catalog, follower), events);
    }

    /**
     * Starts following the chunk topic.
     *
     * @param clientProperties Kafka client properties (bootstrap servers, security); the reader sets the rest
     * @param topic            the chunk topic
     * @param timeout          how long Kafka may take to answer a metadata request
     * @param writeTimeout     how long one write of a response (a page, a live page's event) may stay blocked, its
     *                         client reading nothing, before the response ends and its connection is closed: the
     *                         mounting server's own ({@link WriteDeadline#DEFAULT_LIMIT} unless it has another); at
     *                         most a day ({@link WriteDeadline#checkedLimit})
     */
    public static Viewer start(
            Map<String, Object> clientProperties, String topic, Duration timeout, Duration writeTimeout) {
        Viewer viewer = new Viewer(
                new LogRuns.LogAccess(clientProperties, topic, timeout),
                WriteDeadline.checkedLimit(writeTimeout, "the write timeout"));
        viewer.follower.start();
        return viewer;
    }

    /**
     * Path → handler, to mount with {@code server.createContext(path, handler)}: all under {@code /}. The handler is a
     * {@link dev.lsr.kernel.http.StreamingHandler}: a server that bounds its open streams counts the live pages' event
     * streams ({@code GET /events}) with its own.
     */
    public Map<String, HttpHandler> handlers() {
        return Map.of("/", handler);
    }

    /** The catalog of runs as read so far (e.g. to wait until the viewer has caught up). */
    public RunCatalog catalog() {
        return catalog;
    }

    /** Ends live streams and stops following the log. */
    @Override
    public void close() {
        events.close();
        follower.close();
    }
}
