package dev.lsr.kernel.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A response ended by {@link WriteDeadline} (its channel closed by the interrupt) gives its JDK server connection slot
 * back. The child JVM's handler does what the replay server's streams do: {@code try (exchange)}, writes through a
 * WriteDeadline, catches the StalledException. With {@code jdk.httpserver.maxConnections} = 2, two stalled clients
 * that have since gone away must leave room for a new one.
 *
 * <p>Before {@link WriteDeadline#sendResponseHeaders} said {@code Connection: close}, the new client was closed on
 * accept: JDK 25's ChunkedOutputStream.close posts WriteFinished; for a keep-alive connection the dispatcher's
 * reRegister calls configureBlocking on the closed channel, which throws ClosedChannelException, and its catch only
 * does c.close(), never allConnections.remove(c).
 *
 * <p>The JDK reads the limit once per process, at its first server: set in a static block here, it was silently
 * not in force (and the test tested nothing) whenever another test class of the same JVM had started a server first.
 * The server runs in a child JVM ({@link StallingServerUntilStdinEnds}) with the limit on its command line, and the
 * test checks that the limit holds (a third connection is refused while two kept-alive ones are open: the test
 * holds them, so nothing races; before, the two were the stalling ones, and the check raced their write limit).
 */
class WriteDeadlineConnectionLeakTest {

    /** The write limit of the child's responses: nothing waits on the stalls but the end of the test. */
    private static final Duration LIMIT = Duration.ofSeconds(1);

    @Test
    void stalledResponsesGiveTheirConnectionSlotsBack() throws Exception {
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djdk.httpserver.maxConnections=2",
                        "-cp",
                        System.getProperty("java.class.path"),
                        StallingServerUntilStdinEnds.class.getName(),
                        LIMIT.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
            String first = lines.readLine();
            assertTrue(first != null && first.startsWith("port "), "the child JVM printed " + first);
            int port = Integer.parseInt(first.substring("port ".length()).strip());
            AtomicInteger stalled = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                try {
                    for (String line; (line = lines.readLine()) != null; ) {
                        if (line.equals("stalled")) {
                            stalled.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    // the child ended
                }
            });
            // control: with the limit of 2, sequential requests on fresh connections are fine
            for (int i = 0; i < 5; i++) {
                assertEquals(200, get(port, "/small"), "before any stall");
            }
            // the limit is in force: a third connection is refused while two answered, kept-alive ones are open
            List<Socket> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                held.add(answered(port, "/small", 65536));
            }
            assertEquals(-1, getOnce(port, "/small"), "a third connection while two are open, with a limit of 2");
            for (Socket socket : held) {
                socket.close();
            }
            List<Socket> clients = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                clients.add(answered(port, "/big", 4096)); // its body never read
            }
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (stalled.get() < 2 && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertEquals(2, stalled.get(), "both responses stalled and ended");
            for (Socket socket : clients) {
                socket.close(); // the stalled clients are gone too
            }
            Thread.sleep(2_000); // plenty for the dispatcher

            assertEquals(200, get(port, "/small"), "a new client after two stalled (and gone) ones");
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    /**
     * A keep-alive request for {@code path} whose response is read no further than its status line, on a connection
     * left open: answered, so the server counts it until it ends. Tried again while the server refuses the connection:
     * it takes the earlier requests' connections off its count once they ended, on its dispatcher thread, which may
     * not have got to them yet.
     */
    private static Socket answered(int port, String path, int receiveBuffer) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(receiveBuffer);
            socket.setSoTimeout(5_000);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(UTF_8));
            if (status(socket) == 200) {
                return socket;
            }
            socket.close();
            Thread.sleep(100);
        }
        throw new AssertionError("the server refused every connection for " + path);
    }

    /**
     * A request on a new raw connection, tried again for up to 5 s while the server closes it without an answer (-1):
     * the server takes an ended connection off its count on its dispatcher thread, which may not have got to it yet. A
     * slot never given back stays refused.
     */
    private static int get(int port, String path) throws Exception {
        int status = -1;
        for (int attempt = 0; attempt < 50 && status == -1; attempt++) {
            if (attempt > 0) {
                Thread.sleep(100);
            }
            status = getOnce(port, path);
        }
        return status;
    }

    private static int getOnce(int port, String path) throws Exception {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(5_000);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(UTF_8));
            return status(socket);
        }
    }

    /** The response's status, read from its first 12 bytes; -1 when the server closes the connection first. */
    private static int status(Socket socket) throws Exception {
        byte[] head = new byte[12];
        int n = 0;
        try {
            while (n < head.length) {
                int r = socket.getInputStream().read(head, n, head.length - n);
                if (r < 0) {
                    return -1;
                }
                n += r;
            }
        } catch (SocketException e) {
            return -1;
        }
        return Integer.parseInt(new String(head, 9, 3, UTF_8));
    }
}
