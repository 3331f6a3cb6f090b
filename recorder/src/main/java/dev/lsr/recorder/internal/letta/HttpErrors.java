package dev.lsr.recorder.internal.letta;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * Turns an unexpected response into an exception, reading at most a few KiB of its body: an error
 * status into a {@link LettaHttpException} with the server's own words, a body of the wrong type into
 * an {@link UnexpectedContentException} quoting its first bytes.
 */
final class HttpErrors {

    private static final long MAX_BODY_BYTES = 8 * 1024;
    private static final int MAX_DETAIL_CHARS = 300;
    private static final int MAX_QUOTED_CHARS = 120;

    private HttpErrors() {}

    /**
     * Reads the server's words from whichever field its error body uses: {@code detail} (FastAPI),
     * {@code error} (a string, or an object with {@code message}/{@code detail}: LLM errors) or
     * {@code message}; and {@code run_id} (409 "busy"), {@code errorCode}, {@code admitted} and
     * {@code retryable} (Letta Cloud's 503 refusals).
     *
     * @param secrets the API key and the secret-looking header values, removed from the server's words should the
     *                server echo them
     */
    static LettaHttpException from(String request, Response response, List<String> secrets) {
        JsonNode json = null;
        try {
            json = Json.MAPPER.readTree(head(response, MAX_BODY_BYTES));
        } catch (IOException | RuntimeException unreadable) {
            json = null;
        }
        LettaHttpException.Body body = json != null && json.isObject()
                ? new LettaHttpException.Body(
                        shorten(redact(words(json), secrets)),
                        text(json.get("run_id")),
                        text(json.has("errorCode") ? json.get("errorCode") : json.get("error_code")),
                        bool(json.get("admitted")),
                        bool(json.get("retryable")))
                : LettaHttpException.Body.NONE;
        return new LettaHttpException(request, response.code(), body, retryAfter(response));
    }

    /** A successful response whose Content-Type is not {@code expected}: its type and first bytes, quoted. */
    static UnexpectedContentException unexpectedContent(
            String request, Response response, String expected, List<String> secrets) {
        String contentType = response.header("Content-Type");
        String start;
        try {
            // read past the quoted part by the longest secret, so one that starts inside it is redacted whole
            int longest = secrets.stream().mapToInt(String::length).max().orElse(0);
            start = new String(head(response, MAX_QUOTED_CHARS + longest), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException unreadable) {
            start = "";
        }
        start = quote(start, secrets);
        return new UnexpectedContentException(request + " -> HTTP " + response.code() + " with "
                + (contentType == null ? "no Content-Type" : "Content-Type " + contentType) + ", not " + expected
                + (start.isEmpty() ? " (empty body)" : ": \"" + start + "\""));
    }

    /**
     * The start of an answer Letta (or what stands in its place) gave, for an error message: white space folded, the
     * secrets redacted before it is cut (a secret across the cut leaves nothing of itself), at most
     * {@link #MAX_QUOTED_CHARS} characters.
     */
    static String quote(String answer, List<String> secrets) {
        return shorten(redact(answer.replaceAll("\\s+", " ").strip(), secrets), MAX_QUOTED_CHARS);
    }

    private static String words(JsonNode json) {
        for (String field : new String[] {"detail", "error", "message"}) {
            JsonNode node = json.get(field);
            if (node == null || node.isNull()) {
                continue;
            }
            if (node.isObject()) {
                String nested = text(node.has("message") ? node.get("message") : node.get("detail"));
                return nested != null ? nested : node.toString();
            }
            return node.isTextual() ? node.asText() : node.toString();
        }
        return null;
    }

    private static byte[] head(Response response, long maxBytes) throws IOException {
        BufferedSource source = response.body().source();
        source.request(maxBytes);
        return source.getBuffer().readByteArray(Math.min(source.getBuffer().size(), maxBytes));
    }

    /** Each secret as it is, and as JSON text quotes it (a quote or backslash in it escaped). */
    private static String redact(String text, List<String> secrets) {
        String redacted = text;
        for (String secret : secrets) {
            if (redacted != null && secret != null && !secret.isEmpty()) {
                redacted = redacted.replace(secret, "[redacted]")
                        .replace(secret.replace("\\", "\\\\").replace("\"", "\\\""), "[redacted]");
            }
        }
        return redacted;
    }

    private static String shorten(String detail) {
        return shorten(detail, MAX_DETAIL_CHARS);
    }

    private static String shorten(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max) + "...";
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    private static Boolean bool(JsonNode node) {
        return node != null && node.isBoolean() ? node.asBoolean() : null;
    }

    /** An HTTP-date is measured from the response's own {@code Date} (the server's clock), else from its arrival. */
    private static Duration retryAfter(Response response) {
        Instant serverNow = response.headers().getInstant("Date");
        Instant now = serverNow != null ? serverNow : Instant.ofEpochMilli(response.receivedResponseAtMillis());
        return RetryAfter.parse(response.header("Retry-After"), now).orElse(null);
    }
}
