package dev.lsr.bench.fleet;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A gateway in front of Letta for the soak, at the TCP level: while up it relays every connection to Letta
 * byte for byte; {@link #down()} cuts every relayed connection at once and answers each new one with a
 * gateway's {@code 502 Bad Gateway} page (its backend gone) until {@link #up()}. What the recorders see of a
 * Letta outage behind a load balancer.
 */
final class LettaGateway implements Closeable {

    private static final byte[] BAD_GATEWAY = ("HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n"
                    + "Content-Length: 49\r\nConnection: close\r\n\r\n"
                    + "<html><body><h1>502 Bad Gateway</h1></body></html>")
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final InetSocketAddress letta;
    private final Set<Socket> relayed = ConcurrentHashMap.newKeySet();
    private volatile boolean down;

    LettaGateway(InetSocketAddress letta) throws IOException {
        this.letta = letta;
        this.server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("letta-gateway").start(this::accept);
    }

    /** The URL the recorders are given instead of Letta's. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Cuts every open connection; new ones are answered 502 until {@link #up()}. */
    void down() {
        down = true;
        relayed.forEach(this::closeQuietly);
    }

    void up() {
        down = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            Thread.ofVirtual().start(() -> serve(client));
        }
    }

    private void serve(Socket client) {
        if (down) {
            try (client) {
                client.getOutputStream().write(BAD_GATEWAY);
            } catch (IOException e) {
                // the client went away first
            }
            return;
        }
        Socket upstream = new Socket();
        relayed.add(client);
        relayed.add(upstream);
        try {
            upstream.connect(letta);
            Thread.ofVirtual().start(() -> pump(upstream, client));
            pump(client, upstream);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /** Copies {@code from} to {@code to} until either ends, then closes both. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // cut by down(), or by either side
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(Socket socket) {
        relayed.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        down();
    }
}
