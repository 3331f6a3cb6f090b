package dev.lsr.replay;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * A child JVM for {@link StalledClientsIT}: the JDK HTTP server reads its connection limit once per process, at its
 * first server, so a small limit is tested in a fresh process. Serves the topic {@code args[1]} of the brokers
 * {@code args[0]} with a write timeout of {@code args[2]}, prints its port once indexed, and stops when its standard
 * input ends.
 */
public final class ServeReplayUntilStdinEnds {

    private ServeReplayUntilStdinEnds() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        try (ReplayServer server = ReplayServer.builder()
                .clientProperties(Map.of("bootstrap.servers", args[0]))
                .topic(args[1])
                .port(0)
                .writeTimeout(Duration.parse(args[2]))
                .start()) {
            if (!server.awaitIndexed(Duration.ofSeconds(60))) {
                throw new IllegalStateException("not indexed within 60 s");
            }
            System.out.println("port " + server.port());
            System.out.flush();
            while (System.in.read() != -1) {
                // until the test closes our input
            }
        }
    }
}
