package dev.lsr.recorder.internal.letta;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.recorder.Secret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * The recorder's client never sends a request on a connection the server has already closed for idleness:
 * against a server that, like uvicorn by default, closes a keep-alive connection after 5 s idle, a Run GET
 * 6 s after the previous one gets its answer (on a new connection), where a stale pooled connection would
 * fail it with "unexpected end of stream" and, without client retries, cost the run a reconnect.
 */
class IdleConnectionIT {

    private static final Duration SERVER_KEEP_ALIVE = Duration.ofSeconds(5);

    @Test
    void aRequestAfterTheServersKeepAliveTimeoutGetsItsAnswer() throws Exception {
        OkHttpClient client = LettaHttpClient.create(Duration.ofSeconds(5));
        try (KeepAliveServer server = new KeepAliveServer()) {
            OkHttpLettaApi api = new OkHttpLettaApi(
                    client, HttpUrl.get(server.baseUrl()), Secret.of("sk-let-unit"), Duration.ofSeconds(10), 1 << 20);

            assertEquals("running", api.getRun("run-1").status());
            Thread.sleep(SERVER_KEEP_ALIVE.plusSeconds(1));
            assertEquals("running", api.getRun("run-1").status());

            assertEquals(2, server.connections(), "the second GET came on a new connection");
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    /** HTTP/1.1 with keep-alive: answers every GET with a Run, closes a connection idle for 5 s. */
    private static final class KeepAliveServer implements AutoCloseable {
        private static final byte[] RUN = ("{\"id\":\"run-1\",\"status\":\"running\",\"agent_id\":\"agent-1\","
                        + "\"created_at\":\"2026-03-14T17:32:10.123456\",\"background\":true}")
                .getBytes(UTF_8);

        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger connections = new AtomicInteger();

        KeepAliveServer() throws IOException {
            Thread.ofVirtual().start(this::accept);
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/";
        }

        int connections() {
            return connections.get();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(socket));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                socket.setSoTimeout((int) SERVER_KEEP_ALIVE.toMillis());
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII));
                OutputStream out = socket.getOutputStream();
                while (true) {
                    String requestLine = in.readLine();
                    if (requestLine == null) {
                        return;
                    }
                    for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                        // a GET has no body: the headers end the request
                    }
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + RUN.length
                                    + "\r\n\r\n")
                            .getBytes(US_ASCII));
                    out.write(RUN);
                    out.flush();
                }
            } catch (SocketTimeoutException e) {
                // idle for the keep-alive timeout: closed, as uvicorn does
            } catch (IOException e) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
