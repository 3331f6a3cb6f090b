package dev.lsr.recorder.internal.letta;

import dev.lsr.recorder.internal.sse.SseFrame;
import dev.lsr.recorder.internal.sse.SseFrameReader;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Response;

/**
 * An {@link SseStream} over an OkHttp response body. A stream read to its {@code [DONE]} or its end is
 * closed without cancelling, so OkHttp reads the body's last bytes and pools the connection for the run's
 * next request (the final Run GET, the next run's stream); any other is cancelled first, so that closing
 * never waits on a server that goes on streaming.
 */
final class OkHttpSseStream implements SseStream {

    private final Call call;
    private final Response response;
    private final SseFrameReader reader;
    private boolean readToTheEnd;

    OkHttpSseStream(Call call, Response response, int maxFrameBytes) {
        this.call = call;
        this.response = response;
        this.reader = new SseFrameReader(response.body().source(), maxFrameBytes);
    }

    @Override
    public SseFrame next() throws IOException {
        SseFrame frame = reader.next();
        readToTheEnd = frame == null || frame.isDone();
        return frame;
    }

    @Override
    public void cancel() {
        call.cancel();
    }

    @Override
    public void close() {
        if (!readToTheEnd) {
            call.cancel();
        }
        response.close();
    }
}
