package dev.lsr.recorder.internal.letta;

import dev.lsr.recorder.internal.sse.SseFrame;
import dev.lsr.recorder.internal.sse.SseFrameReader;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Response;

/** An {@link SseStream} over an OkHttp response body. */
final class OkHttpSseStream implements SseStream {

    private final Call call;
    private final Response response;
    private final SseFrameReader reader;

    OkHttpSseStream(Call call, Response response, int maxFrameBytes) {
        this.call = call;
        this.response = response;
        this.reader = new SseFrameReader(response.body().source(), maxFrameBytes);
    }

    @Override
    public SseFrame next() throws IOException {
        return reader.next();
    }

    @Override
    public void cancel() {
        call.cancel();
    }

    @Override
    public void close() {
        call.cancel();
        response.close();
    }
}
