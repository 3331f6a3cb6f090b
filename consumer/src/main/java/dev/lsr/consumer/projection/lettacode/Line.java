package dev.lsr.consumer.projection.lettacode;

/**
 * One row of Letta Code's transcript buffer ({@code buffers.byId}), as built from stream chunks. Lines
 * are immutable values; the buffers replace a line when it changes, as Letta Code does.
 *
 * <p>Only the kinds that chunks produce exist here; the app-made kinds ({@code error}, {@code command},
 * {@code separator}, ...) are outside a log projection.
 */
public sealed interface Line permits Line.Text, Line.ToolCall, Line.Event, Line.Status {

    /** The line id (its key in {@code order} and {@code byId}). */
    String id();

    /** The {@code kind} discriminator as Letta Code writes it. */
    String kind();

    /** Phase of a reasoning or assistant line. */
    enum TextPhase {
        STREAMING,
        FINISHED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Phase of a tool call line: args streaming, waiting for approval, executing, done. */
    enum ToolPhase {
        STREAMING,
        READY,
        RUNNING,
        FINISHED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Phase of an event line: compaction running, or finished. */
    enum EventPhase {
        RUNNING,
        FINISHED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A reasoning or assistant text line. */
    sealed interface Text extends Line permits Reasoning, Assistant {
        String text();

        TextPhase phase();

        /** True for split continuation lines, false for the first split head, null when never split. */
        Boolean isContinuation();

        /** The server message id of the deltas, or null. */
        String messageId();

        Text with(String text, TextPhase phase, Boolean isContinuation, String messageId);
    }

    /** Reasoning (thinking) text of one content block. */
    record Reasoning(String id, String text, TextPhase phase, Boolean isContinuation, String messageId)
            implements Text {
        @Override
        public String kind() {
            return "reasoning";
        }

        @Override
        public Reasoning with(String text, TextPhase phase, Boolean isContinuation, String messageId) {
            return new Reasoning(id, text, phase, isContinuation, messageId);
        }
    }

    /** Assistant text of one content block. */
    record Assistant(String id, String text, TextPhase phase, Boolean isContinuation, String messageId)
            implements Text {
        @Override
        public String kind() {
            return "assistant";
        }

        @Override
        public Assistant with(String text, TextPhase phase, Boolean isContinuation, String messageId) {
            return new Assistant(id, text, phase, isContinuation, messageId);
        }
    }

    /** One tool call (server tool or approval request), its arguments and its result. Null fields are unset. */
    record ToolCall(
            String id,
            String toolCallId,
            String name,
            ToolPhase phase,
            String argsText,
            String resultText,
            Boolean resultOk)
            implements Line {
        @Override
        public String kind() {
            return "tool_call";
        }

        public ToolCall withPhase(ToolPhase newPhase) {
            return new ToolCall(id, toolCallId, name, newPhase, argsText, resultText, resultOk);
        }

        public ToolCall withIdentity(String newToolCallId, String newName) {
            return new ToolCall(id, newToolCallId, newName, phase, argsText, resultText, resultOk);
        }

        public ToolCall withArgsText(String newArgsText) {
            return new ToolCall(id, toolCallId, name, phase, newArgsText, resultText, resultOk);
        }

        public ToolCall finished(String newResultText, Boolean ok) {
            return new ToolCall(id, toolCallId, name, ToolPhase.FINISHED, argsText, newResultText, ok);
        }
    }

    /**
     * A server event (compaction, or any non-retry event type). {@code eventData} is the chunk's
     * {@code event_data} as received; {@code summary} and {@code stats} are filled by a later summary.
     */
    record Event(
            String id,
            String eventType,
            com.fasterxml.jackson.databind.JsonNode eventData,
            EventPhase phase,
            String summary,
            CompactionStats stats)
            implements Line {
        @Override
        public String kind() {
            return "event";
        }

        public Event summarized(String newSummary, CompactionStats newStats) {
            return new Event(id, eventType, eventData, EventPhase.FINISHED, newSummary, newStats);
        }
    }

    /** A status notice (provider retry events). */
    record Status(String id, java.util.List<String> lines) implements Line {
        public Status {
            lines = java.util.List.copyOf(lines);
        }

        @Override
        public String kind() {
            return "status";
        }
    }

    /** The {@code compaction_stats} of a summary message; null fields were absent. */
    record CompactionStats(
            String trigger,
            Long contextTokensBefore,
            Long contextTokensAfter,
            Long contextWindow,
            Long messagesCountBefore,
            Long messagesCountAfter) {}
}
