package dev.lsr.consumer.analytics.spans;

/**
 * The OpenTelemetry names the spans job writes: the GenAI semantic conventions of the
 * {@code semantic-conventions-genai} repository, v0.1.0 (development status), and a {@code letta.*}
 * attribute of ours where they have none. The one place these names are spelled; docs/run-summary.md maps
 * every run summary field to them.
 */
public final class GenAi {

    // operations and span names: "{operation} {subject}"
    public static final String OPERATION_NAME = "gen_ai.operation.name";
    public static final String INVOKE_AGENT = "invoke_agent";
    public static final String CHAT = "chat";
    public static final String EXECUTE_TOOL = "execute_tool";

    public static final String PROVIDER_NAME = "gen_ai.provider.name";
    public static final String AGENT_ID = "gen_ai.agent.id";
    public static final String CONVERSATION_ID = "gen_ai.conversation.id";
    public static final String RESPONSE_ID = "gen_ai.response.id";
    public static final String FINISH_REASONS = "gen_ai.response.finish_reasons";
    /** Seconds from the request (the run's start, the step's start) to its first output chunk. */
    public static final String TIME_TO_FIRST_CHUNK = "gen_ai.response.time_to_first_chunk";

    public static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
    public static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    public static final String CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens";
    public static final String CACHE_WRITE_INPUT_TOKENS = "gen_ai.usage.cache_write.input_tokens";
    public static final String REASONING_OUTPUT_TOKENS = "gen_ai.usage.reasoning.output_tokens";

    public static final String TOOL_NAME = "gen_ai.tool.name";
    public static final String TOOL_CALL_ID = "gen_ai.tool.call.id";
    public static final String TOOL_TYPE = "gen_ai.tool.type";
    public static final String ERROR_TYPE = "error.type";

    // ours: what the conventions have no name for
    public static final String RUN_ID = "letta.run.id";
    public static final String RUN_STATUS = "letta.run.status";
    public static final String STEP_ID = "letta.step.id";
    public static final String STEP_COUNT = "letta.run.step_count";
    public static final String TOOL_CALL_COUNT = "letta.run.tool_call_count";
    public static final String CHUNK_COUNT = "letta.run.chunk_count";
    public static final String RESUME_COUNT = "letta.run.resume_count";
    public static final String GAP_COUNT = "letta.run.gap_count";
    public static final String MISSING_POSITIONS = "letta.run.missing_positions";
    public static final String TOOL_STATUS = "letta.tool.status";
    public static final String APPROVAL_REQUESTED = "letta.tool.approval_requested";

    // span events
    public static final String RESUMED_EVENT = "letta.run.resumed";
    public static final String GAP_EVENT = "letta.run.gap";
    public static final String CAUSE = "letta.cause";
    public static final String MISSING = "letta.missing";

    /** The instrumentation scope of the spans. */
    public static final String SCOPE = "dev.lsr.consumer.spans";

    private GenAi() {}
}
