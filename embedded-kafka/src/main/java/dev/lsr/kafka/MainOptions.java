package dev.lsr.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The command line of {@link EmbeddedKafkaMain}, parsed once. */
record MainOptions(Optional<Path> dataDir, String host, int port, Map<String, String> brokerProperties, boolean help) {

    static final String USAGE = """
            Usage: EmbeddedKafkaMain [--data-dir DIR] [--host HOST] [--port PORT] [--broker-property KEY=VALUE]...
              --data-dir DIR              where the broker keeps its log (default: a temporary dir deleted on exit)
              --host HOST                 address to listen on (default 127.0.0.1)
              --port PORT                 PLAINTEXT port, 0 for any free port (default 9092)
              --broker-property KEY=VALUE a Kafka server property (repeatable)
            Runs until SIGTERM or Ctrl-C.""";

    /** Parses {@code args}; throws {@link IllegalArgumentException} with a one-line message on bad input. */
    static MainOptions parse(String... args) {
        Optional<Path> dataDir = Optional.empty();
        String host = EmbeddedKafkaBroker.DEFAULT_HOST;
        int port = EmbeddedKafkaBroker.DEFAULT_PORT;
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                return new MainOptions(dataDir, host, port, properties, true);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(
                        option.startsWith("--") ? option + " needs a value" : "unknown option " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--data-dir" -> dataDir = Optional.of(Path.of(value));
                case "--host" -> host = value;
                case "--port" -> port = parsePort(value);
                case "--broker-property" -> {
                    int equals = value.indexOf('=');
                    if (equals <= 0) {
                        throw new IllegalArgumentException("--broker-property needs KEY=VALUE, got '" + value + "'");
                    }
                    properties.put(value.substring(0, equals), value.substring(equals + 1));
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new MainOptions(dataDir, host, port, Map.copyOf(properties), false);
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--port must be a number from 0 to 65535, got '" + value + "'");
    }
}
