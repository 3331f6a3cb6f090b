package dev.lsr.viewer.internal.html;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.projection.transcript.Transcript;
import dev.lsr.consumer.projection.transcript.TranscriptMessage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/** A run's transcript as HTML: one block per message, in order, with when it started. */
public final class TranscriptHtml {

    private TranscriptHtml() {}

    public static String render(Transcript transcript, Instant start) {
        if (transcript.messages().isEmpty()) {
            return "<p class=\"empty\">No messages in the log for this run yet.</p>";
        }
        StringBuilder html = new StringBuilder(8192);
        html.append("<ol class=\"transcript\">\n");
        for (TranscriptMessage message : transcript.messages()) {
            html.append("<li class=\"msg ").append(kind(message)).append("\">");
            meta(html, message, start);
            body(html, message);
            html.append("</li>\n");
        }
        return html.append("</ol>\n").toString();
    }

    private static String kind(TranscriptMessage message) {
        return switch (message) {
            case TranscriptMessage.Reasoning m -> "reasoning";
            case TranscriptMessage.HiddenReasoning m -> "reasoning hidden";
            case TranscriptMessage.AssistantText m -> "assistant";
            case TranscriptMessage.ToolCall m -> m.approvalRequested() ? "tool-call approval" : "tool-call";
            case TranscriptMessage.ToolReturn m -> "error".equals(m.status()) ? "tool-return failed" : "tool-return";
            case TranscriptMessage.Event m -> "event";
            case TranscriptMessage.Summary m -> "summary";
            case TranscriptMessage.UserMessage m -> "user";
            case TranscriptMessage.Error m -> "error";
            case TranscriptMessage.Gap m -> "gap";
            case TranscriptMessage.Other m -> "other";
        };
    }

    private static String title(TranscriptMessage message) {
        return switch (message) {
            case TranscriptMessage.Reasoning m -> "reasoning";
            case TranscriptMessage.HiddenReasoning m -> "hidden reasoning (" + m.state() + ")";
            case TranscriptMessage.AssistantText m -> "assistant";
            case TranscriptMessage.ToolCall m ->
                (m.approvalRequested() ? "approval requested: " : "tool call: ") + (m.name() == null ? "?" : m.name());
            case TranscriptMessage.ToolReturn m ->
                "tool return: " + (m.toolName() == null ? "?" : m.toolName()) + " \u00b7 " + m.status();
            case TranscriptMessage.Event m -> "event: " + m.eventType();
            case TranscriptMessage.Summary m -> "compaction summary";
            case TranscriptMessage.UserMessage m -> "user";
            case TranscriptMessage.Error m -> "error: " + m.errorType();
            case TranscriptMessage.Gap m -> "gap";
            case TranscriptMessage.Other m -> m.messageType();
        };
    }

    private static void meta(StringBuilder html, TranscriptMessage message, Instant start) {
        html.append("<div class=\"meta\"><span class=\"kind\">")
                .append(Html.text(title(message)))
                .append("</span>");
        Instant at = message.origin().receivedAt();
        if (at != null && start != null) {
            html.append("<span class=\"at\">")
                    .append(Format.offset(Duration.between(start, at).toMillis()))
                    .append("</span>");
        }
        if (message.origin().firstPosition() != null) {
            html.append("<span class=\"pos\">seq ")
                    .append(Html.text(message.origin().firstPosition()));
            if (!message.origin().firstPosition().equals(message.origin().lastPosition())) {
                html.append("\u2013").append(Html.text(message.origin().lastPosition()));
            }
            html.append("</span>");
        }
        html.append("</div>");
    }

    private static void body(StringBuilder html, TranscriptMessage message) {
        switch (message) {
            case TranscriptMessage.Reasoning m -> text(html, m.text());
            case TranscriptMessage.HiddenReasoning m ->
                html.append("<p class=\"note\">The model's reasoning is not shown in the stream.</p>");
            case TranscriptMessage.AssistantText m -> text(html, m.text());
            case TranscriptMessage.ToolCall m -> {
                html.append("<div class=\"call-id\">")
                        .append(Html.text(m.toolCallId()))
                        .append("</div>");
                code(html, pretty(m.arguments()));
            }
            case TranscriptMessage.ToolReturn m -> {
                html.append("<div class=\"call-id\">")
                        .append(Html.text(m.toolCallId()))
                        .append("</div>");
                code(html, pretty(m.text()));
                lines(html, "stdout", m.stdout());
                lines(html, "stderr", m.stderr());
            }
            case TranscriptMessage.Event m ->
                code(html, m.eventData() == null ? "" : m.eventData().toPrettyString());
            case TranscriptMessage.Summary m -> text(html, m.summary());
            case TranscriptMessage.UserMessage m -> text(html, m.text());
            case TranscriptMessage.Error m -> {
                text(html, m.message());
                if (m.detail() != null) {
                    code(html, m.detail());
                }
            }
            case TranscriptMessage.Gap m ->
                html.append("<p class=\"note\">seqs ")
                        .append(m.from())
                        .append(" \u2026 ")
                        .append(m.to() == null ? "end of run" : String.valueOf(m.to()))
                        .append(" are missing from the log (")
                        .append(Html.text(m.cause()))
                        .append(")</p>");
            case TranscriptMessage.Other m ->
                code(html, m.chunk() == null ? "" : m.chunk().toPrettyString());
        }
    }

    private static void text(StringBuilder html, String text) {
        html.append("<div class=\"text\">").append(Html.text(text)).append("</div>");
    }

    private static void code(StringBuilder html, String text) {
        html.append("<pre class=\"code\">").append(Html.text(text)).append("</pre>");
    }

    private static void lines(StringBuilder html, String name, java.util.List<String> lines) {
        if (lines != null && !lines.isEmpty()) {
            html.append("<div class=\"stream-name\">").append(name).append("</div>");
            code(html, String.join("\n", lines));
        }
    }

    /** JSON arguments and returns indented; anything else (incomplete JSON of a cut call) as it is. */
    private static String pretty(String text) {
        if (text == null || text.isBlank()) {
            return text;
        }
        try {
            JsonNode tree = Json.MAPPER.readTree(text);
            return tree != null && tree.isContainerNode() ? tree.toPrettyString() : text;
        } catch (IOException e) {
            return text;
        }
    }
}
