package dev.lsr.recorder.internal.drain;

import dev.lsr.recorder.internal.letta.SseStream;
import dev.lsr.recorder.internal.sse.SseFrame;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Reads one connection to its end and hands every frame to a {@link FrameHandler}. It never
 * reconnects: it reports how the connection ended and the supervisor decides.
 */
public final class ConnectionDrain {

    private ConnectionDrain() {}

    /** Drains {@code stream} of a run the server has not reported ended. */
    public static ConnectionEnd drain(
            SseStream stream, FrameHandler handler, StallWatchdog watchdog, BooleanSupplier stopping) {
        return drain(stream, handler, watchdog, stopping, () -> false);
    }

    /**
     * Drains {@code stream} and closes it.
     *
     * @param stopping    true once the recorder is stopping (checked after every frame and on errors)
     * @param mayHaveEnded true while the run may have ended (the server said so, or a restored run's
     *                     state is not known yet): then a connection bringing nothing new is given up
     *                     after the stall timeout, not the abandon time
     */
    public static ConnectionEnd drain(
            SseStream stream,
            FrameHandler handler,
            StallWatchdog watchdog,
            BooleanSupplier stopping,
            BooleanSupplier mayHaveEnded) {
        try (stream;
                StallWatchdog.Watch watch = watchdog.watch(stream::cancel, handler::stopReasonSeen, mayHaveEnded)) {
            while (true) {
                SseFrame frame;
                try {
                    frame = stream.next();
                } catch (IOException e) {
                    if (stopping.getAsBoolean()) {
                        return new ConnectionEnd.Stopped();
                    }
                    if (watch.fired()) {
                        return new ConnectionEnd.Disconnected(ConnectionEnd.Disconnected.STALL, watch.describe());
                    }
                    if (e instanceof SocketTimeoutException) {
                        return new ConnectionEnd.Disconnected(ConnectionEnd.Disconnected.STALL, "read timed out");
                    }
                    return new ConnectionEnd.Disconnected(
                            ConnectionEnd.Disconnected.IO_ERROR, String.valueOf(e.getMessage()));
                }
                if (frame == null) {
                    return stopping.getAsBoolean()
                            ? new ConnectionEnd.Stopped()
                            : new ConnectionEnd.Disconnected(
                                    ConnectionEnd.Disconnected.EOF, "end of stream without a terminal frame");
                }
                if (frame.isDone()) {
                    handler.streamEnded();
                    return new ConnectionEnd.Ended();
                }
                long before = handler.progress();
                boolean connectionEnds = handler.handle(frame);
                watch.frameReceived(handler.progress() != before);
                if (connectionEnds) {
                    return new ConnectionEnd.ErrorFrame();
                }
                if (stopping.getAsBoolean()) {
                    return new ConnectionEnd.Stopped();
                }
            }
        }
    }
}
