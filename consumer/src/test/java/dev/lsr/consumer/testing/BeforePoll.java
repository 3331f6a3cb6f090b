package dev.lsr.consumer.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * A real Kafka consumer with a step of the test's before each poll: to hold its reader behind the log
 * (so that the test can delete records it has not read yet), or to fail a poll the way a broker would.
 * Every call then goes to the real consumer.
 */
public final class BeforePoll {

    /** What runs before each poll; what it throws, the poll throws. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    private BeforePoll() {}

    /** {@code real}, with {@code step} run before each of its polls. */
    @SuppressWarnings("unchecked")
    public static <K, V> Consumer<K, V> runs(Consumer<K, V> real, Step step) {
        return (Consumer<K, V>) Proxy.newProxyInstance(
                Consumer.class.getClassLoader(), new Class<?>[] {Consumer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("poll")) {
                        step.run();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** {@code real}, whose polls first count {@code polling} down, then wait for {@code open}. */
    public static <K, V> Consumer<K, V> heldUntilOpen(
            Consumer<K, V> real, CountDownLatch polling, CountDownLatch open) {
        return runs(real, () -> {
            polling.countDown();
            open.await();
        });
    }
}
