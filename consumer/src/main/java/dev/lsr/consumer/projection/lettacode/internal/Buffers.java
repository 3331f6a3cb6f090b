package dev.lsr.consumer.projection.lettacode.internal;

import dev.lsr.consumer.projection.lettacode.Line;
import dev.lsr.consumer.projection.lettacode.Usage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The state of Letta Code's {@code createBuffers()} that chunks can reach: lines in display order,
 * tool-call and alias maps, the transition marker {@code lastOtid}, counters and flags. Mutable, owned
 * by one session; all rules live in the handlers that change it.
 */
public final class Buffers {

    private final List<String> order = new ArrayList<>();
    private final Map<String, Line> byId = new HashMap<>();
    final Map<String, String> toolCallIdToLineId = new LinkedHashMap<>();
    final Map<String, ServerToolCall> serverToolCalls = new LinkedHashMap<>();
    final Map<String, Integer> splitCounters = new HashMap<>();
    final TextAliases reasoningAliases = new TextAliases(TextKind.REASONING);
    final TextAliases assistantAliases = new TextAliases(TextKind.ASSISTANT);
    final UsageCounter usage = new UsageCounter();
    final boolean tokenStreamingEnabled;
    String lastOtid;
    long tokenCount;
    boolean approvalsPending;
    boolean interrupted;

    public Buffers(boolean tokenStreamingEnabled) {
        this.tokenStreamingEnabled = tokenStreamingEnabled;
    }

    /** A tool executed by the server, remembered until its return (Letta Code's {@code serverToolCalls}). */
    static final class ServerToolCall {
        String toolName = "";
        String toolArgs = "";
    }

    Line get(String id) {
        return byId.get(id);
    }

    boolean has(String id) {
        return byId.containsKey(id);
    }

    /** Replaces (or adds without ordering) a line; {@code order} is untouched. */
    void put(Line line) {
        byId.put(line.id(), line);
    }

    /** The existing line with that id, else a new one appended to {@code order}. */
    Line ensure(String id, Supplier<? extends Line> make) {
        Line existing = byId.get(id);
        if (existing != null) {
            return existing;
        }
        Line created = make.get();
        byId.put(id, created);
        order.add(id);
        return created;
    }

    /** Inserts a line id into {@code order} right before another one (or at the end if absent). */
    void insertBefore(String newId, String beforeId) {
        int index = order.indexOf(beforeId);
        if (index >= 0) {
            order.add(index, newId);
        } else {
            order.add(newId);
        }
    }

    void appendToOrder(String id) {
        order.add(id);
    }

    void remove(String id) {
        byId.remove(id);
        order.removeIf(id::equals);
    }

    /** Every line currently held, in no particular order (for sweeps over tool lines). */
    List<Line> allLines() {
        return new ArrayList<>(byId.values());
    }

    List<String> orderView() {
        return Collections.unmodifiableList(order);
    }

    /** {@code toLines()}: {@code order} mapped through {@code byId}. */
    public List<Line> lines() {
        List<Line> lines = new ArrayList<>(order.size());
        for (String id : order) {
            Line line = byId.get(id);
            if (line != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    public List<String> order() {
        return List.copyOf(order);
    }

    public Map<String, String> toolCallIdToLineId() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(toolCallIdToLineId));
    }

    public String lastOtid() {
        return lastOtid;
    }

    public long tokenCount() {
        return tokenCount;
    }

    public boolean approvalsPending() {
        return approvalsPending;
    }

    public boolean interrupted() {
        return interrupted;
    }

    public boolean tokenStreamingEnabled() {
        return tokenStreamingEnabled;
    }

    public Usage usage() {
        return usage.snapshot();
    }
}
