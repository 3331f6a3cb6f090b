package dev.lsr.consumer.analytics.spans;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Trace and span ids derived from the run id (SHA-256, cut to 16 and 8 bytes), so that a run's spans get
 * the same ids however often they are written: after a crash and replay of the spans job, a backend that
 * sees a tree twice sees the same spans, not a second trace.
 */
final class TraceIds {

    private TraceIds() {}

    /** The run's trace id, 16 bytes. */
    static byte[] trace(String runId) {
        return hash("trace\u0000" + runId, 16);
    }

    /** The {@code invoke_agent} span of the run. */
    static byte[] run(String runId) {
        return hash("run\u0000" + runId, 8);
    }

    static byte[] step(String runId, String stepId) {
        return hash("step\u0000" + runId + "\u0000" + stepId, 8);
    }

    static byte[] tool(String runId, String toolCallId) {
        return hash("tool\u0000" + runId + "\u0000" + toolCallId, 8);
    }

    private static byte[] hash(String text, int length) {
        try {
            byte[] id = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)), length);
            id[0] |= 1; // an all-zero id is invalid in OTLP; this one is never zero
            return id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
