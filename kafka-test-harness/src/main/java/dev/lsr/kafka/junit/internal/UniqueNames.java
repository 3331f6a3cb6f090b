package dev.lsr.kafka.junit.internal;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Names unique within a JVM and, through a per-JVM token, across JVMs sharing one broker:
 * {@code prefix-<token>-<n>} with only the characters Kafka allows in topic names.
 */
public final class UniqueNames {

    private static final int MAX_PREFIX_LENGTH = 200;

    private final String token = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong counter = new AtomicLong();

    /** The next unique name starting with the sanitized {@code prefix}. */
    public String next(String prefix) {
        return sanitize(prefix) + "-" + token + "-" + counter.incrementAndGet();
    }

    static String sanitize(String prefix) {
        String safe = prefix == null ? "" : prefix.replaceAll("[^a-zA-Z0-9._-]", "_");
        if (safe.isEmpty() || safe.equals(".") || safe.equals("..")) {
            safe = "t";
        }
        return safe.length() > MAX_PREFIX_LENGTH ? safe.substring(0, MAX_PREFIX_LENGTH) : safe;
    }
}
