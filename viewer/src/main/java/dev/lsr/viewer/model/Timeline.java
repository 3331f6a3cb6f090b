package dev.lsr.viewer.model;

import java.time.Instant;
import java.util.List;

/**
 * Where a run's time went, in milliseconds after its start: one lane per LLM step and per tool call,
 * and markers where something happened (first content, a resume, a gap, a connection cut).
 *
 * @param start      the run's start (recorder receipt of its first record), or null when unknown
 * @param durationMs start to end (the terminal record, else the last record so far); 0 when unknown
 */
public record Timeline(Instant start, long durationMs, List<Lane> lanes, List<Marker> markers) {

    public static final Timeline EMPTY = new Timeline(null, 0, List.of(), List.of());

    public Timeline {
        lanes = List.copyOf(lanes);
        markers = List.copyOf(markers);
    }

    public List<Lane> lanes(Lane.Kind kind) {
        return lanes.stream().filter(lane -> lane.kind() == kind).toList();
    }

    public List<Marker> markers(Marker.Kind kind) {
        return markers.stream().filter(marker -> marker.kind() == kind).toList();
    }

    /**
     * A step or a tool call from {@code startMs} to {@code endMs}.
     *
     * @param label  what it is: {@code step 2}, the tool's name
     * @param detail what it did: the kinds of output of a step, the call's outcome
     * @param state  {@code ok}, {@code error}, {@code pending} (awaiting approval or a return), {@code open}
     */
    public record Lane(Kind kind, String id, String label, String detail, long startMs, long endMs, String state) {

        public enum Kind {
            STEP,
            TOOL
        }
    }

    /** Something that happened at {@code atMs}, with a one-line label. */
    public record Marker(Kind kind, long atMs, String label) {

        public enum Kind {
            FIRST_CONTENT,
            RESUME,
            GAP,
            CONNECTION_CUT
        }
    }
}
