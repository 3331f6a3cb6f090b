package dev.lsr.consumer.reader.internal;

import dev.lsr.chunklog.Position;

/**
 * Assigns positions to one run's chunks by the chunk-log rule ({@link Position}): a chunk with a
 * {@code seq_id} is {@code (seq_id, 0)}; a chunk without one is {@code (lastVisibleSeq, k)}, k
 * counting the seq-less chunks since that seq. A chunk repeating the last visible seq (a keepalive
 * ping) gets {@code (seq, 0)} again and does not restart the count, so it maps onto a position
 * already taken and is recognisable as a repeat.
 */
public final class PositionAssigner {

    private long lastVisibleSeq;
    private int seqLessSinceVisible;

    public Position next(Long seqId) {
        if (seqId == null) {
            seqLessSinceVisible++;
            return new Position(lastVisibleSeq, seqLessSinceVisible);
        }
        if (seqId != lastVisibleSeq) {
            lastVisibleSeq = seqId;
            seqLessSinceVisible = 0;
        }
        return Position.ofSeq(seqId);
    }
}
