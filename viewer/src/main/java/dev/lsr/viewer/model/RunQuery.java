package dev.lsr.viewer.model;

import java.time.Instant;

/**
 * What the runs page asks for: every set criterion must match (null: any), newest first, one page.
 *
 * @param since    earliest start (inclusive), or null
 * @param until    latest start (exclusive), or null
 * @param page     the page, from 1
 * @param pageSize rows per page
 */
public record RunQuery(
        String agentId,
        String conversationId,
        String status,
        String stopReason,
        Instant since,
        Instant until,
        int page,
        int pageSize) {

    public static final int DEFAULT_PAGE_SIZE = 50;

    public RunQuery {
        agentId = blankToNull(agentId);
        conversationId = blankToNull(conversationId);
        status = blankToNull(status);
        stopReason = blankToNull(stopReason);
        page = Math.max(1, page);
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive: " + pageSize);
        }
    }

    public static RunQuery all() {
        return new RunQuery(null, null, null, null, null, null, 1, DEFAULT_PAGE_SIZE);
    }

    public RunQuery withPage(int newPage) {
        return new RunQuery(agentId, conversationId, status, stopReason, since, until, newPage, pageSize);
    }

    public boolean admits(RunRow row) {
        return matches(agentId, row.agentId())
                && matches(conversationId, row.conversationId())
                && matches(status, row.status())
                && matches(stopReason, row.stopReason())
                && (since == null
                        || (row.startedAt() != null && !row.startedAt().isBefore(since)))
                && (until == null || (row.startedAt() != null && row.startedAt().isBefore(until)));
    }

    private static boolean matches(String wanted, String actual) {
        return wanted == null || wanted.equals(actual);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
