package dev.lsr.kernel.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Review: the limit bounds one write call, not a time without progress. SseBody hands a frame larger than its 16 KB
 * buffer to the exchange in one write (BufferedOutputStream writes it through), so a client that reads steadily, but
 * slower than frame size / limit, has its stream ended as "read nothing", and again at the same frame on each resume.
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
            ByteBuffer frame = ByteBuffer.allocate(512 * 1024); // one big frame: one write, ~5 s at this pace
            try (WriteDeadline deadline = WriteDeadline.of(Duration.ofSeconds(2))) {
                assertDoesNotThrow(
                        () -> deadline.write(() -> {
                            while (frame.hasRemaining()) {
                                writer.write(frame);
                            }
                        }),
                        () -> "stalled although the client had read " + read.get() + " bytes meanwhile");
            } finally {
                Thread.interrupted();
                reader.interrupt();
            }
        }
    }
}
