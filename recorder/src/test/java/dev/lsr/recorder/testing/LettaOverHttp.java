package dev.lsr.recorder.testing;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.lsr.recorder.Secret;
import dev.lsr.recorder.internal.letta.OkHttpLettaApi;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Run sessions against a protocol-speaking test front over real HTTP: a JDK {@code HttpServer} on
 * 127.0.0.1 (a virtual thread per exchange) answering {@code /v1/runs/} with the test's handler, reached
 * through a real OkHttp client and {@link OkHttpLettaApi}.
 */
public final class LettaOverHttp implements AutoCloseable {

    private final HttpServer server;
    private final OkHttpClient client;

    public LettaOverHttp(HttpHandler runs, Duration readTimeout) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/runs/", runs);
        server.start();
        client = new OkHttpClient.Builder()
                .readTimeout(readTimeout)
                .retryOnConnectionFailure(false)
                .build();
    }

    /** Letta as the recorder reaches it: {@link OkHttpLettaApi} over this server. */
    public OkHttpLettaApi api() {
        return new OkHttpLettaApi(
                client,
                HttpUrl.get("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
                Secret.of("sk-let-unit"),
                Duration.ofSeconds(30),
                1 << 20);
    }

    @Override
    public void close() {
        server.stop(0);
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
