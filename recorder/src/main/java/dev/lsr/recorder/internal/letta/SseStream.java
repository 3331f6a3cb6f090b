package dev.lsr.recorder.internal.letta;

import dev.lsr.recorder.internal.sse.SseFrame;
import java.io.Closeable;
import java.io.IOException;

/** An open SSE response. Read by one thread; {@link #cancel()} may be called from any thread. */
public interface SseStream extends Closeable {

    /** The next frame, {@link SseFrame#DONE}, or null at end of stream. */
    SseFrame next() throws IOException;

    /** Aborts the connection: a blocked or later {@link #next()} throws an {@link IOException}. */
    void cancel();

    /** Releases the connection. Never throws. */
    @Override
    void close();
}
