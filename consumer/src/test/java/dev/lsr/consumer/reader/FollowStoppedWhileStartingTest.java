package dev.lsr.consumer.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code consumer follow} stopped (Ctrl-C: {@link ChunkLogReader#stop}) while it still reads the log's layout record or
 * looks up its partitions, here from a broker that accepts connections and never answers: the stop wakes the
 * consumer inside that read. Before, the {@code WakeupException} left the reader and the CLI ended with an internal
 * error; the follow now returns, having read nothing.
 */
class FollowStoppedWhileStartingTest {

    @Test
    void aStopWhileTheLayoutIsReadEndsTheFollowCleanly() throws Exception {
        try (ServerSocket mute = new ServerSocket()) {
            mute.bind(new InetSocketAddress("127.0.0.1", 0));
            List<Socket> held = new ArrayList<>();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(mute.accept()); // accepted, never answered
                    }
                } catch (java.io.IOException closed) {
                    // the test ended
                }
            });
            Map<String, Object> client = Map.of("bootstrap.servers", "127.0.0.1:" + mute.getLocalPort());
            try (ChunkLogReader reader = ChunkLogReader.open(client, "letta.chunks", Duration.ofMinutes(1))) {
                CompletableFuture<ReplayStats> follow = CompletableFuture.supplyAsync(
                        () -> reader.follow(RunFilter.all(), reader.runPartitions(), event -> {}, false, () -> {}));
                Thread.sleep(500); // the layout read waits for the broker (either way, the stop comes before it ends)
                reader.stop();
                ReplayStats stats = follow.get(30, TimeUnit.SECONDS);
                assertEquals(0, stats.records(), "nothing read");
            }
        }
    }
}
