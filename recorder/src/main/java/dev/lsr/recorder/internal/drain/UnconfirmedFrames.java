package dev.lsr.recorder.internal.drain;

import java.util.ArrayList;
import java.util.List;

/**
 * The seq-less frames a connection showed since its last seq, as the appends they would make, until the stream
 * confirms them ({@link FrameRecorder}), and the longest such tail an earlier connection showed. Bounded: a run's
 * tail is a {@code stop_reason} and its usage, so a stream that sends more than {@link #MAX_FRAMES} or
 * {@link #MAX_BYTES} of them in a row (a broken server or proxy) is not held in memory: {@link #hold} refuses, and
 * the caller appends them as they come.
 */
final class UnconfirmedFrames {

    static final int MAX_FRAMES = 64;
    static final int MAX_BYTES = 1 << 20;

    private final List<Runnable> held = new ArrayList<>();
    private long heldBytes;
    /** The longest tail an earlier connection held since the last append (the latest of equals); none after one. */
    private List<Runnable> longestSetAside = List.of();

    boolean isEmpty() {
        return held.isEmpty();
    }

    int size() {
        return held.size();
    }

    /** Holds {@code append} of a frame of {@code bytes}; false, holding nothing, when the limit would be passed. */
    boolean hold(Runnable append, int bytes) {
        if (held.size() >= MAX_FRAMES || heldBytes + bytes > MAX_BYTES) {
            return false;
        }
        held.add(append);
        heldBytes += bytes;
        return true;
    }

    /** Appends what is held, in order. */
    void confirm() {
        if (held.isEmpty()) {
            return;
        }
        List<Runnable> confirmed = List.copyOf(held);
        clearHeld();
        confirmed.forEach(Runnable::run);
    }

    /** The connection ended unconfirmed: keeps what it held if it is the longest tail so far. */
    void setAside() {
        if (!held.isEmpty() && held.size() >= longestSetAside.size()) {
            longestSetAside = List.copyOf(held);
        }
        clearHeld();
    }

    /** Appends the longest tail set aside (see {@link FrameRecorder#keepUnconfirmedTail()}). */
    void appendLongestSetAside() {
        setAside();
        List<Runnable> tail = longestSetAside;
        longestSetAside = List.of();
        tail.forEach(Runnable::run);
    }

    /** The stream went on past the tails set aside. */
    void forgetSetAside() {
        longestSetAside = List.of();
    }

    private void clearHeld() {
        held.clear();
        heldBytes = 0;
    }
}
