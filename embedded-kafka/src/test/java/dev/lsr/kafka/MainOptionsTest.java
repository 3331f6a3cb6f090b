package dev.lsr.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MainOptionsTest {

    @Test
    void defaultsToLoopbackPort9092AndATemporaryDataDir() {
        assertEquals(new MainOptions(Optional.empty(), "127.0.0.1", 9092, Map.of(), false), MainOptions.parse());
    }

    @Test
    void readsEveryOption() {
        MainOptions options = MainOptions.parse(
                "--data-dir",
                "/var/kafka",
                "--host",
                "0.0.0.0",
                "--port",
                "0",
                "--broker-property",
                "log.retention.hours=1",
                "--broker-property",
                "a=b=c");
        assertEquals(
                new MainOptions(
                        Optional.of(Path.of("/var/kafka")),
                        "0.0.0.0",
                        0,
                        Map.of("log.retention.hours", "1", "a", "b=c"),
                        false),
                options);
    }

    @Test
    void helpWins() {
        assertTrue(MainOptions.parse("--port", "1", "--help").help());
    }

    @Test
    void badInputIsOneReadableLine() {
        assertEquals(
                "--port must be a number from 0 to 65535, got '70000'",
                assertThrows(IllegalArgumentException.class, () -> MainOptions.parse("--port", "70000"))
                        .getMessage());
        assertEquals(
                "--data-dir needs a value",
                assertThrows(IllegalArgumentException.class, () -> MainOptions.parse("--data-dir"))
                        .getMessage());
        assertEquals(
                "unknown option --bootstrap",
                assertThrows(IllegalArgumentException.class, () -> MainOptions.parse("--bootstrap", "x"))
                        .getMessage());
        assertEquals(
                "--broker-property needs KEY=VALUE, got 'novalue'",
                assertThrows(IllegalArgumentException.class, () -> MainOptions.parse("--broker-property", "novalue"))
                        .getMessage());
    }
}
