package dev.lsr.kernel.http.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * A client that sends a request and reads nothing of the answer (its network gone without a FIN, a stuck reader):
 * once the socket buffers are full, the server's writes to it block. The tests of the project's servers' write
 * deadlines (kernel, replay server, viewer) share it.
 */
public final class NeverReadingClient {

    private NeverReadingClient() {}

    /**
     * Sends {@code request} (the whole raw HTTP request) on a new loopback connection to {@code port} with a small
     * receive buffer, and leaves the connection open, unread.
     */
    public static Socket send(int port, String request) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(ISO_8859_1));
            out.flush();
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Whether {@code thread}, a JDK server's handler, waits in a write to its connection (the socket takes no more):
     * the moment a write deadline starts to count, whatever came before (a large page takes a while to render).
     */
    public static boolean blockedInAWrite(Thread thread) {
        return thread != null
                && thread.getState() == Thread.State.WAITING
                && Arrays.stream(thread.getStackTrace())
                        .anyMatch(frame -> frame.getClassName().equals("sun.net.httpserver.Request$WriteStream"));
    }

    /** Whether the connection ends (EOF or reset) within 10 s once what the server had sent is read. */
    public static boolean closedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        byte[] buffer = new byte[65536];
        try {
            while (socket.getInputStream().read(buffer) >= 0) {
                // what was in the buffers
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }
}
