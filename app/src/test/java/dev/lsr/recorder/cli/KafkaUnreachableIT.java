package dev.lsr.recorder.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.lsr.recorder.testing.LogCapture;
import dev.lsr.sim.LettaSim;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The recorder command pointed at a Kafka address where nothing listens stops with exit code 1 and one
 * line naming the address and the reason, within the start timeout, without the Kafka clients' flood
 * of connection warnings (before: 66 of them over a minute, then "could not describe topic ... within
 * the start timeout").
 */
class KafkaUnreachableIT {

    @Test
    void kafkaWhereNothingListensIsOneClearLineAndExitCode1() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String kafka = "127.0.0.1:" + closedPort;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        List<String> kafkaWarnings;
        try (LettaSim sim = LettaSim.builder().start();
                LogCapture logs = LogCapture.capture()) {
            exit = RecorderCommand.mainNoExit(
                    new String[] {"--letta-url", sim.baseUrl(), "--bootstrap-servers", kafka, "--metrics-interval", "0"
                    },
                    Map.of(),
                    new PrintStream(out, true, UTF_8),
                    new PrintStream(err, true, UTF_8),
                    RecorderCommand::daemon);
            kafkaWarnings = logs.events().stream()
                    .filter(e -> e.getLoggerName().startsWith("org.apache.kafka"))
                    .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .map(e -> e.getFormattedMessage())
                    .toList();
        }
        assertEquals(RecorderCommand.FAILED, exit, err.toString(UTF_8));
        List<String> lines = err.toString(UTF_8).lines().toList();
        assertEquals(1, lines.size(), "one line on stderr: " + lines);
        assertTrue(
                lines.getFirst().startsWith("recorder: Kafka at " + kafka + " cannot be reached (Connection refused"),
                lines.getFirst());
        assertEquals(List.of(), kafkaWarnings, "no Kafka client warnings");
    }
}
