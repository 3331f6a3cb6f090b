package dev.lsr.recorder.internal.letta;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import okhttp3.Response;
import okio.BufferedSource;

/** Turns an error response into a {@link LettaHttpException}, reading at most a few KiB of its body. */
final class HttpErrors {

    private static final long MAX_BODY_BYTES = 8 * 1024;
    private static final int MAX_DETAIL_CHARS = 300;

    private HttpErrors() {
    }

    /**
     * @param secret the API key, removed from the server's detail should the server echo it
     */
    static LettaHttpException from(String request, Response response, String secret) {
        String detail = null;
        String runId = null;
        try {
            BufferedSource source = response.body().source();
            source.request(MAX_BODY_BYTES);
            long size = Math.min(source.getBuffer().size(), MAX_BODY_BYTES);
            byte[] bytes = source.getBuffer().readByteArray(size);
            JsonNode json = Json.MAPPER.readTree(bytes);
            if (json != null && json.isObject()) {
                JsonNode detailNode = json.get("detail");
                detail = detailNode == null || detailNode.isNull() ? null
                        : detailNode.isTextual() ? detailNode.asText() : detailNode.toString();
                JsonNode runNode = json.get("run_id");
                runId = runNode != null && runNode.isTextual() ? runNode.asText() : null;
            }
        } catch (IOException | RuntimeException unreadable) {
            detail = null;
        }
        if (detail != null && secret != null && !secret.isEmpty()) {
            detail = detail.replace(secret, "[redacted]");
        }
        return new LettaHttpException(request, response.code(), shorten(detail), runId, retryAfter(response));
    }

    private static String shorten(String detail) {
        if (detail == null || detail.length() <= MAX_DETAIL_CHARS) {
            return detail;
        }
        return detail.substring(0, MAX_DETAIL_CHARS) + "...";
    }

    private static Duration retryAfter(Response response) {
        return RetryAfter.parse(response.header("Retry-After"), Instant.ofEpochMilli(response.receivedResponseAtMillis()))
                .orElse(null);
    }
}
