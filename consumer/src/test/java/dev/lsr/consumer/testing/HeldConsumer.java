package dev.lsr.consumer.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * A real Kafka consumer whose polls wait until the test opens a gate: its reader falls behind the log,
 * e.g. so that the test can delete records it has not read yet. Every call goes to the real consumer.
 */
public final class HeldConsumer {

    private HeldConsumer() {}

    /**
     * {@code real}, whose every poll first counts {@code polling} down, then waits for {@code open}.
     */
    @SuppressWarnings("unchecked")
    public static <K, V> Consumer<K, V> untilOpen(Consumer<K, V> real, CountDownLatch polling, CountDownLatch open) {
        return (Consumer<K, V>) Proxy.newProxyInstance(
                Consumer.class.getClassLoader(), new Class<?>[] {Consumer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("poll")) {
                        polling.countDown();
                        open.await();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
