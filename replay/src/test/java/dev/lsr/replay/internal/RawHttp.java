package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** A raw-socket HTTP/1.1 client for the proxy's tests: requests written byte for byte, answers read line by line. */
final class RawHttp {

    private RawHttp() {}

    /** A connection to {@code server} on loopback, its reads bounded by {@code soTimeoutMillis}. */
    static Socket connect(HttpServer server, int soTimeoutMillis) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(soTimeoutMillis);
        socket.connect(new InetSocketAddress(
                InetAddress.getLoopbackAddress(), server.getAddress().getPort()));
        return socket;
    }

    /** A POST's head to {@code path}: Host, Content-Type, then {@code framing} (its Content-Length or chunked). */
    static byte[] postHead(String path, String contentType, String framing) {
        return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType + "\r\n" + framing
                        + "\r\n\r\n")
                .getBytes(ISO_8859_1);
    }

    /** Writes a JSON POST's head (Content-Length {@code declared}) and {@code sent} bytes of its body, then nothing. */
    static void stoppedPost(Socket socket, int declared, int sent) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(postHead("/v1/agents/agent-1/messages", "application/json", "Content-Length: " + declared));
        out.write(new byte[sent]);
        out.flush();
    }

    /** {@code size} bytes of the random sequence {@code seed} gives. */
    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /**
     * An answer: its status line (null if the connection ended before one), its header lines as sent, its body (empty
     * when only the head was read).
     */
    record Answer(String statusLine, List<String> headers, String body) {

        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        List<String> lowerHeaders() {
            return headers.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        }

        boolean closes() {
            return lowerHeaders().contains("connection: close");
        }
    }

    /** One answer's status line and headers. */
    static Answer readHead(InputStream in) throws IOException {
        String statusLine = line(in);
        List<String> headers = new ArrayList<>();
        for (String line = statusLine == null ? null : line(in); line != null && !line.isEmpty(); line = line(in)) {
            headers.add(line);
        }
        return new Answer(statusLine, headers, "");
    }

    /** One whole answer, a body of its Content-Length (or less, if the connection ends first). */
    static Answer read(InputStream in) throws IOException {
        Answer head = readHead(in);
        int length = 0;
        for (String header : head.lowerHeaders()) {
            if (header.startsWith("content-length:")) {
                length = Integer.parseInt(
                        header.substring("content-length:".length()).strip());
            }
        }
        return new Answer(head.statusLine(), head.headers(), new String(in.readNBytes(length), ISO_8859_1));
    }

    /** {@link #read}, a reset of the connection failing the test as the loss of {@code what}. */
    static Answer read(InputStream in, String what) throws IOException {
        try {
            return read(in);
        } catch (SocketException e) {
            throw new AssertionError(what + ": the client lost it to " + e, e);
        }
    }

    /** One answer's body (Content-Length framed), after checking its status is 200; an IOException if it ends short. */
    static String okBody(InputStream in) throws IOException {
        String status = line(in, true);
        int length = -1;
        for (String header = line(in, true); !header.isEmpty(); header = line(in, true)) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(
                        header.substring("content-length:".length()).strip());
            }
        }
        String body = new String(in.readNBytes(Math.max(length, 0)), ISO_8859_1);
        assertEquals("HTTP/1.1 200 OK", status, body);
        return body;
    }

    /** A line without its CR LF; at the connection's end, what came of it, or null if nothing did. */
    static String line(InputStream in) throws IOException {
        return line(in, false);
    }

    /** A line without its CR LF; at the connection's end, an IOException if {@code whole}. */
    private static String line(InputStream in, boolean whole) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0 && whole) {
                throw new IOException("the connection ended mid-answer: " + line.toString(ISO_8859_1));
            }
            if (c < 0) {
                return line.size() == 0 ? null : line.toString(ISO_8859_1);
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(ISO_8859_1);
    }
}
