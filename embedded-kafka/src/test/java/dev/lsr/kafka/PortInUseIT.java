package dev.lsr.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortInUseIT {

    private static final Pattern BROKER_THREAD =
            Pattern.compile("(?i).*(kafka|broker|controller|raft|quorum|data-plane|log-cleaner|scheduler).*");

    @TempDir
    Path dataDir;

    @Test
    void startingOnATakenPortFailsWithOneLineAndLeavesNothingRunning() throws Exception {
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
        try (ServerSocket occupier = new ServerSocket()) {
            occupier.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = occupier.getLocalPort();

            PortInUseException e = assertThrows(
                    PortInUseException.class,
                    () -> EmbeddedKafkaBroker.builder()
                            .dataDir(dataDir)
                            .port(port)
                            .start());

            assertEquals(
                    "cannot start embedded Kafka: 127.0.0.1:" + port + " is already in use"
                            + " (pass --bootstrap-servers to use another broker, or choose another port)",
                    e.getMessage());
            assertEquals(port, e.port());
        }
        assertEquals(List.of(), newBrokerThreads(threadsBefore));
        try (var files = Files.list(dataDir)) {
            assertEquals(List.of(), files.toList(), "nothing is formatted when the port is taken");
        }
    }

    @Test
    void theStandaloneMainPrintsTheOneLineAndExitsWithOne() throws Exception {
        try (ServerSocket occupier = new ServerSocket()) {
            occupier.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = occupier.getLocalPort();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int exitCode = EmbeddedKafkaMain.mainNoExit(
                    new String[] {"--data-dir", dataDir.toString(), "--port", Integer.toString(port)},
                    new PrintStream(OutputStream.nullOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));

            assertEquals(1, exitCode);
            assertEquals(
                    "cannot start embedded Kafka: 127.0.0.1:" + port + " is already in use"
                            + " (pass --bootstrap-servers to use another broker, or choose another port)"
                            + System.lineSeparator(),
                    err.toString(StandardCharsets.UTF_8));
        }
    }

    private static List<String> newBrokerThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread))
                .map(Thread::getName)
                .filter(name -> BROKER_THREAD.matcher(name).matches())
                .collect(Collectors.toList());
    }
}
