package dev.lsr.viewer.internal.http;

import com.sun.net.httpserver.HttpServer;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.viewer.model.RunCatalog;
import dev.lsr.viewer.testing.Replays;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * A child JVM for {@link EventStreamConnectionLeakTest}: the JDK HTTP server reads {@code
 * jdk.httpserver.maxConnections} once per process, so the small limit the test sets on the command line holds here.
 * Serves the viewer over a catalog that changes all the time (a change event each, enough to fill a client's socket
 * buffers), with a write timeout of {@code args[0]}; prints {@code port N} once listening; stops when its standard
 * input ends.
 */
public final class EventsUntilStdinEnds {

    private EventsUntilStdinEnds() {}

    public static void main(String[] args) throws IOException {
        List<ReplayEvent> read = new ArrayList<>();
        RunCatalog catalog = Replays.replay(FixtureLog.of("01-simple-reply").records(), new RunCatalog());
        Replays.replay(FixtureLog.of("01-simple-reply").records(), read::add);
        ReplayEvent end = read.stream()
                .filter(ReplayEvent.End.class::isInstance)
                .findFirst()
                .orElseThrow();
        EventStream events = new EventStream(catalog, Duration.parse(args[0]), Duration.ZERO);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", new ViewerHandler(catalog, id -> Optional.empty(), events));
        server.start();
        Thread changes = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                catalog.onEvent(end);
            }
        });
        System.out.println("port " + server.getAddress().getPort());
        System.out.flush();
        try {
            while (System.in.read() != -1) {
                // until the test closes our input
            }
        } finally {
            changes.interrupt();
            events.close();
            server.stop(0);
        }
    }
}
