package dev.lsr.kernel.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The limit bounds one write call, not a time without progress: a frame larger than SseBody's 16 KB buffer went to the
 * exchange in one write (BufferedOutputStream writes it through), so a client that reads steadily, but slower than
 * frame size / limit, had its stream ended as "read nothing", and again at the same frame on each resume. A body goes
 * out through {@link WriteDeadline#write(java.io.OutputStream, byte[])}, in slices each of a write of its own.
 */
class WriteDeadlineSlowReaderTest {

    @Test
    void aSteadilyReadingClientIsNotStalled() throws Exception {
        try (ServerSocketChannel listener =
                        ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                SocketChannel writer = SocketChannel.open(listener.getLocalAddress());
                SocketChannel peer = listener.accept()) {
            writer.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
            peer.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
            AtomicLong read = new AtomicLong();
            Thread reader = Thread.ofVirtual().start(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(4096);
                try {
                    while (peer.read(buffer.clear()) >= 0) { // ~100 KB/s, never silent for more than 40 ms
                        read.addAndGet(buffer.position());
                        Thread.sleep(40);
                    }
                } catch (Exception e) {
                    // the writer's channel closed
                }
            });
            byte[] frame = new byte[512 * 1024]; // one big frame: ~5 s at this pace
            OutputStream out = Channels.newOutputStream(writer);
            try (WriteDeadline deadline = WriteDeadline.of(Duration.ofSeconds(2))) {
                assertDoesNotThrow(
                        () -> deadline.write(out, frame),
                        () -> "stalled although the client had read " + read.get() + " bytes meanwhile");
            } finally {
                reader.interrupt();
            }
        }
    }
}
