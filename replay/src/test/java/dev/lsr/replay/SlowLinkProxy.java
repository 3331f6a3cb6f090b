package dev.lsr.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A TCP proxy in front of a broker whose client-to-broker direction can be made slow: every byte a client
 * sends reaches the broker {@link #latency} later, in order, so every request takes at least that long to
 * be answered (a congested or distant link). The broker's answers pass at once. A connection whose
 * upstream is gone or refuses is closed, as the broker itself would close it.
 */
final class SlowLinkProxy implements AutoCloseable {

    private record Delayed(long releaseAtNanos, byte[] bytes) {}

    private final ServerSocket listener;
    private final int upstreamPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile Duration latency = Duration.ZERO;

    SlowLinkProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("slow-link-accept").start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** From now on, what clients send reaches the broker this much later. */
    void latency(Duration delay) {
        this.latency = delay;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Thread.ofVirtual().start(() -> connect(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void connect(Socket client) {
        Socket upstream;
        try {
            upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        } catch (IOException e) {
            closeQuietly(client); // the broker is down: the client sees its connection end at once
            return;
        }
        sockets.add(client);
        sockets.add(upstream);
        LinkedBlockingQueue<Delayed> inFlight = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> read(client, inFlight));
        Thread.ofVirtual().start(() -> deliver(inFlight, upstream, client));
        Thread.ofVirtual().start(() -> pipe(upstream, client));
    }

    private void read(Socket from, LinkedBlockingQueue<Delayed> inFlight) {
        try {
            InputStream in = from.getInputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                inFlight.add(new Delayed(System.nanoTime() + latency.toNanos(), Arrays.copyOf(buffer, n)));
            }
        } catch (IOException e) {
            // closed
        }
        inFlight.add(new Delayed(System.nanoTime(), null));
    }

    private void deliver(LinkedBlockingQueue<Delayed> inFlight, Socket upstream, Socket client) {
        try {
            OutputStream out = upstream.getOutputStream();
            while (true) {
                Delayed next = inFlight.take();
                if (next.bytes() == null) {
                    break;
                }
                long wait = next.releaseAtNanos() - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                out.write(next.bytes());
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // closed
        }
        closeQuietly(upstream);
        closeQuietly(client);
    }

    private void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // closed
        }
        closeQuietly(from);
        closeQuietly(to);
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(this::closeQuietly);
    }
}
