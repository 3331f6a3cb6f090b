package dev.lsr.consumer.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach Kafka, parsed once from the command line: bootstrap servers, pass-through client
 * properties (security, SASL, TLS...) and the timeout after which an unreachable broker is an
 * error. Client timeouts are derived from it, so a dead broker fails in seconds, not minutes.
 * Pass-through properties override the derived ones. Values are never printed: {@link #toString()}
 * lists keys only and {@link #redact} removes sensitive values from any message.
 *
 * @param bootstrapServers the {@code bootstrap.servers} value
 * @param properties       pass-through client properties
 * @param timeout          the request, API and connection timeout
 */
public record KafkaClientSettings(String bootstrapServers, Map<String, String> properties, Duration timeout) {

    public KafkaClientSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        properties = Map.copyOf(properties);
        Objects.requireNonNull(timeout, "timeout");
    }

    /** Properties common to every client: bootstrap, timeouts, then the pass-through ones. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        props.put("request.timeout.ms", millis);
        props.put("default.api.timeout.ms", millis);
        props.put("socket.connection.setup.timeout.ms", Math.min(millis, 3_000));
        props.put("socket.connection.setup.timeout.max.ms", Math.min(millis, 5_000));
        props.put("reconnect.backoff.max.ms", 1_000);
        props.putAll(properties);
        return props;
    }

    /** Client properties for a producer: {@link #clientProperties()} plus {@code max.block.ms}. */
    public Map<String, Object> producerProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put("max.block.ms", (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        props.putAll(clientProperties());
        return props;
    }

    /** Replaces the values of sensitive pass-through properties in a message with {@code [redacted]}. */
    public String redact(String message) {
        if (message == null) {
            return null;
        }
        String redacted = message;
        for (Map.Entry<String, String> entry : properties.entrySet()) {
            if (isSensitive(entry.getKey()) && !entry.getValue().isEmpty()) {
                redacted = redacted.replace(entry.getValue(), "[redacted]");
            }
        }
        return redacted;
    }

    /** True for property keys whose values are secrets (passwords, JAAS config, tokens, keys). */
    public static boolean isSensitive(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password")
                || k.contains("passphrase")
                || k.contains("secret")
                || k.contains("jaas")
                || k.contains("token")
                || k.contains("credential")
                || k.endsWith(".key")
                || k.contains("key.password")
                || k.contains("keystore.key")
                || k.contains("apikey")
                || k.contains("api.key");
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>();
        properties.keySet().stream()
                .sorted()
                .forEach(k -> shown.put(k, isSensitive(k) ? "[redacted]" : properties.get(k)));
        return "KafkaClientSettings[" + bootstrapServers + ", " + shown + ", timeout " + timeout + "]";
    }
}
