package dev.lsr.consumer.projection.transcript;

import dev.lsr.consumer.projection.TerminalText;
import dev.lsr.consumer.projection.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a transcript for a terminal: a header of run facts, then each message under a rule line; control characters
 * of the content are shown, not sent ({@link TerminalText}).
 */
public final class TranscriptText {

    public static final int DEFAULT_MAX_TOOL_RETURN_CHARS = 2000;

    private final int maxToolReturnChars;

    public TranscriptText(int maxToolReturnChars) {
        this.maxToolReturnChars = maxToolReturnChars;
    }

    public String render(Transcript t) {
        StringBuilder out = new StringBuilder();
        out.append("Run ").append(t.runId());
        appendIf(out, "  agent ", t.agentId());
        appendIf(out, "  conversation ", t.conversationId());
        out.append('\n');
        out.append("Status ").append(t.status());
        appendIf(out, " · stop reason ", t.stopReason());
        out.append('\n');
        timing(out, t.timing());
        out.append("Log ")
                .append(t.resumes().size())
                .append(t.resumes().size() == 1 ? " resume" : " resumes")
                .append(" · ")
                .append(gapText(t))
                .append(" · ")
                .append(
                        t.duplicates().isEmpty()
                                ? "no duplicates"
                                : t.duplicates().size() + " duplicates");
        if (t.rejectedChunks() > 0) {
            out.append(" · ").append(t.rejectedChunks()).append(" rejected chunks");
        }
        if (t.unreadableRecords() > 0) {
            out.append(" · ").append(t.unreadableRecords()).append(" unreadable records");
        }
        out.append('\n');
        usage(out, t.usage());
        for (TranscriptMessage message : t.messages()) {
            out.append('\n');
            message(out, message);
        }
        return TerminalText.block(out.toString());
    }

    private static void timing(StringBuilder out, Transcript.Timing timing) {
        Instant origin = timing.attachedAt() != null ? timing.attachedAt() : timing.firstContentAt();
        if (origin == null) {
            return;
        }
        out.append("Timing ");
        List<String> parts = new ArrayList<>();
        if (timing.attachedAt() != null) {
            parts.add("attached " + timing.attachedAt());
        }
        if (timing.firstContentAt() != null) {
            parts.add("first content " + relative(origin, timing.firstContentAt()));
        }
        if (timing.finishedAt() != null) {
            parts.add("finished " + relative(origin, timing.finishedAt()));
        } else if (timing.lastChunkAt() != null) {
            parts.add("last chunk " + relative(origin, timing.lastChunkAt()));
        }
        out.append(String.join(" · ", parts)).append('\n');
    }

    private static String relative(Instant origin, Instant at) {
        return String.format(Locale.ROOT, "+%.1fs", Duration.between(origin, at).toMillis() / 1000.0);
    }

    private static String gapText(Transcript t) {
        if (t.gaps().isEmpty()) {
            return "no gaps";
        }
        long missing =
                t.gaps().stream().mapToLong(g -> Math.max(0, g.missing())).sum();
        boolean toTheEnd = t.gaps().stream().anyMatch(g -> g.missing() < 0);
        return t.gaps().size() + (t.gaps().size() == 1 ? " gap (" : " gaps (") + missing + " seqs missing"
                + (toTheEnd ? ", and the rest of the run" : "") + ")";
    }

    private static void usage(StringBuilder out, TokenUsage usage) {
        if (usage == null) {
            return;
        }
        out.append("Usage ")
                .append(usage.inputTokens())
                .append(" in · ")
                .append(usage.outputTokens())
                .append(" out · ")
                .append(usage.totalTokens())
                .append(" total");
        if (usage.cachedInputTokens() != null) {
            out.append(" · ").append(usage.cachedInputTokens()).append(" cached");
        }
        if (usage.cacheWriteTokens() != null) {
            out.append(" · ").append(usage.cacheWriteTokens()).append(" cache write");
        }
        if (usage.reasoningTokens() != null && usage.reasoningTokens() > 0) {
            out.append(" · ").append(usage.reasoningTokens()).append(" reasoning");
        }
        out.append(" · ")
                .append(usage.stepCount())
                .append(usage.stepCount() == 1 ? " step" : " steps")
                .append('\n');
    }

    private void message(StringBuilder out, TranscriptMessage message) {
        switch (message) {
            case TranscriptMessage.Reasoning r -> section(out, "reasoning", r.text());
            case TranscriptMessage.HiddenReasoning h ->
                section(
                        out,
                        "hidden reasoning (" + h.state() + ")",
                        h.data() == null ? null : "[" + h.data().length() + " characters of opaque data]");
            case TranscriptMessage.AssistantText a -> section(out, "assistant", a.text());
            case TranscriptMessage.ToolCall c ->
                section(
                        out,
                        (c.approvalRequested() ? "approval requested " : "tool call ") + c.name() + " ("
                                + c.toolCallId() + ")",
                        c.arguments());
            case TranscriptMessage.ToolReturn r -> {
                StringBuilder body = new StringBuilder(truncate(r.text()));
                appendStream(body, "stdout", r.stdout());
                appendStream(body, "stderr", r.stderr());
                section(
                        out,
                        "tool return " + r.toolName() + " · " + r.status() + " (" + r.toolCallId() + ")",
                        body.toString());
            }
            case TranscriptMessage.Event e ->
                section(
                        out,
                        "event " + e.eventType(),
                        e.eventData() == null ? null : e.eventData().toString());
            case TranscriptMessage.Summary s -> section(out, "compaction summary", s.summary());
            case TranscriptMessage.UserMessage u -> section(out, "user", u.text());
            case TranscriptMessage.Error e ->
                section(out, "error " + e.errorType(), e.message() + (e.detail() != null ? "\n" + e.detail() : ""));
            case TranscriptMessage.Gap g ->
                section(
                        out,
                        "gap · "
                                + (g.to() == null
                                        ? "seqs from " + g.from() + " to the end"
                                        : g.from() == g.to() ? "seq " + g.from() : "seqs " + g.from() + " .. " + g.to())
                                + " missing",
                        gapCause(g.cause()));
            case TranscriptMessage.Other o ->
                section(out, o.messageType(), o.chunk().toString());
        }
    }

    private static String gapCause(String cause) {
        return switch (cause) {
            case "trimmed" -> "recorded by the recorder: the server had dropped these entries before it read them";
            case "expired" -> "recorded by the recorder: the run expired on the server before it read them";
            case "gone" -> "recorded by the recorder: the server no longer knew the run when it read on";
            case "not_resumable" -> "recorded by the recorder: the server refused to resume the run";
            case "unread" ->
                "recorded by the recorder: the server said the run had ended, but its stream showed"
                        + " nothing more and the run's end was never read";
            case null -> "recorded by the recorder (cause unknown)";
            default -> "recorded by the recorder (" + cause + ")";
        };
    }

    private static void appendStream(StringBuilder body, String name, List<String> lines) {
        if (lines != null && !lines.isEmpty()) {
            body.append('\n').append(name).append(":\n").append(String.join("\n", lines));
        }
    }

    private String truncate(String text) {
        if (text == null) {
            return "";
        }
        if (text.length() <= maxToolReturnChars) {
            return text;
        }
        return text.substring(0, maxToolReturnChars) + "… (" + (text.length() - maxToolReturnChars)
                + " more characters)";
    }

    private static void section(StringBuilder out, String title, String body) {
        out.append("── ").append(title).append(" ──\n");
        if (body != null && !body.isEmpty()) {
            out.append(body);
            if (!body.endsWith("\n")) {
                out.append('\n');
            }
        }
    }

    private static void appendIf(StringBuilder out, String label, String value) {
        if (value != null) {
            out.append(label).append(value);
        }
    }
}
