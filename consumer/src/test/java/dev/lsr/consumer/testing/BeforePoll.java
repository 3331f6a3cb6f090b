package dev.lsr.consumer.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    /**
     * Holds the polls of the consumers it wraps until {@link #open()}: their reader falls behind the log
     * while the test changes it (e.g. deletes records not read yet).
     */
    public static final class Gate {
        private final CountDownLatch polling = new CountDownLatch(1);
        private final CountDownLatch open = new CountDownLatch(1);

        /** {@code real}, whose polls wait for this gate. */
        public <K, V> Consumer<K, V> hold(Consumer<K, V> real) {
            return runs(real, () -> {
                polling.countDown();
                open.await();
            });
        }

        /** Whether a held consumer has started polling within {@code timeout}. */
        public boolean awaitPolling(Duration timeout) throws InterruptedException {
            return polling.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        public void open() {
            open.countDown();
        }
    }
}
