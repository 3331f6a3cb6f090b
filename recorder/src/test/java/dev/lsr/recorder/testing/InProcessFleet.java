package dev.lsr.recorder.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.RecorderDaemon;
import dev.lsr.recorder.log.RunLogListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Members of one recorder fleet in this JVM, each a {@link RecorderDaemon} on its own thread, closed together.
 * Each member's partition count comes from its run log's {@code rebalanced} events.
 */
public final class InProcessFleet implements AutoCloseable {

    private final List<RecorderDaemon> members = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<AtomicInteger> owned = new ArrayList<>();

    /** Starts a member with {@code config} (a fleet config: {@code fleet(true)}, a group id) and waits until it runs. */
    public RecorderDaemon join(String name, RecorderConfig config) throws InterruptedException {
        AtomicInteger partitions = new AtomicInteger(-1);
        RecorderDaemon member = RecorderDaemon.builder(config)
                .runLogListener(new RunLogListener() {
                    @Override
                    public void rebalanced(int count) {
                        partitions.set(count);
                    }
                })
                .build();
        members.add(member);
        owned.add(partitions);
        threads.add(Thread.ofPlatform().name("member-" + name).start(member));
        assertTrue(member.awaitRunning(Duration.ofSeconds(60)), "member " + name + " runs");
        return member;
    }

    /** Waits until every member holds {@code partitions} partitions. */
    public void awaitEachHolds(int partitions, Duration timeout) {
        await("each member holds " + partitions + " partition(s)")
                .atMost(timeout)
                .until(() -> owned.stream().allMatch(n -> n.get() == partitions));
    }

    @Override
    public void close() {
        members.forEach(RecorderDaemon::close);
        try {
            for (Thread thread : threads) {
                thread.join(60_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
