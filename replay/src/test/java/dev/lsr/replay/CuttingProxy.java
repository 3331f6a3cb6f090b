package dev.lsr.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP proxy for one connection that passes the first {@code cutAfter} bytes of the response and then
 * closes both sides abruptly: a network cut in the middle of a stream.
 */
final class CuttingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final Thread thread;

    CuttingProxy(int upstreamPort, long cutAfter) throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        thread = Thread.ofVirtual().start(() -> {
            try (Socket client = listener.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                Thread.ofVirtual().start(() -> pipe(client, upstream, Long.MAX_VALUE));
                pipe(upstream, client, cutAfter);
            } catch (IOException e) {
                // closed
            }
        });
    }

    int port() {
        return listener.getLocalPort();
    }

    private static void pipe(Socket from, Socket to, long limit) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[1024];
            long passed = 0;
            while (passed < limit) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - passed));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
                passed += n;
            }
            to.setSoLinger(true, 0); // a reset, not a clean end
            to.close();
            from.close();
        } catch (IOException e) {
            // the other side closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        thread.interrupt();
    }
}
