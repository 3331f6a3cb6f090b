package dev.lsr.consumer.projection.lettacode.internal;

/**
 * What Letta Code's stream processor keeps of an error chunk ({@code errorInfo}); null fields were absent.
 */
record ErrorInfo(
        String message,
        String errorType,
        String errorCode,
        String statusCode,
        String retryable,
        String detail,
        String runId) {

    static final String APPROVAL_DESYNC = "No tool call is currently awaiting approval";

    /** Mid-stream approval desync errors are suppressed from output (and do not end a drain as data). */
    boolean suppressed() {
        return message != null && message.contains(APPROVAL_DESYNC);
    }
}
