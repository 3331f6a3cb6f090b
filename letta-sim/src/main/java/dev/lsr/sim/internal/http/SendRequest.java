package dev.lsr.sim.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.sim.internal.gen.Shape;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed send body (LettaStreamingRequest / ConversationMessageRequest, protocol §1.2). A
 * {@code [sim:<shape>]} or {@code [sim:chunks=N]} token in a user message's text picks the
 * generated run's shape or size, {@code [sim:retries=N]} makes it start with N Letta Cloud
 * {@code retry_message} chunks (a simulator extension; see the README).
 */
record SendRequest(
        List<String> otids,
        boolean streaming,
        boolean streamTokens,
        boolean includePings,
        boolean includePingsGiven,
        boolean background,
        boolean compactionEvents,
        String agentId,
        Shape shape,
        int chunks,
        int retries) {

    private static final Pattern HINT = Pattern.compile("\\[sim:([a-z_-]+)(?:=(\\d+))?]");

    static SendRequest parse(ObjectNode body, boolean streamingDefault) {
        if (body == null) {
            throw HttpProblem.unprocessable("Request body is required.");
        }
        List<String> otids = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        JsonNode messages = body.get("messages");
        if (messages != null && messages.isArray() && !messages.isEmpty()) {
            for (JsonNode message : messages) {
                String otid = message.path("otid").isTextual()
                        ? message.get("otid").asText()
                        : UUID.randomUUID().toString();
                otids.add(otid);
                collectText(message.get("content"), text);
            }
        } else if (body.hasNonNull("input")) {
            otids.add(UUID.randomUUID().toString());
            collectText(body.get("input"), text);
        } else {
            throw HttpProblem.unprocessable("Messages must not be empty");
        }
        Shape shape = null;
        int chunks = 0;
        int retries = 0;
        Matcher hints = HINT.matcher(text);
        while (hints.find()) {
            if (hints.group(1).equals("chunks") && hints.group(2) != null) {
                chunks = Integer.parseInt(hints.group(2));
            } else if (hints.group(1).equals("retries") && hints.group(2) != null) {
                retries = Integer.parseInt(hints.group(2));
            } else if (Shape.fromHint(hints.group(1)) != null) {
                shape = Shape.fromHint(hints.group(1));
            }
        }
        return new SendRequest(
                List.copyOf(otids),
                Params.bool(body, "streaming", streamingDefault),
                Params.bool(body, "stream_tokens", false),
                Params.bool(body, "include_pings", true),
                body.hasNonNull("include_pings"),
                Params.bool(body, "background", false),
                Params.bool(body, "include_compaction_messages", false),
                Params.text(body, "agent_id"),
                shape,
                chunks,
                retries);
    }

    private static void collectText(JsonNode content, StringBuilder text) {
        if (content == null) {
            return;
        }
        if (content.isTextual()) {
            text.append(content.asText()).append('\n');
        } else if (content.isArray()) {
            for (JsonNode part : content) {
                if (part.path("text").isTextual()) {
                    text.append(part.get("text").asText()).append('\n');
                }
            }
        }
    }

    /** The request token: first 16 hex chars of SHA-256 over the otids joined with {@code |} (§3.4). */
    String token() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("|", otids).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}
