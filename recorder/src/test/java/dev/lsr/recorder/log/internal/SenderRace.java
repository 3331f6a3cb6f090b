package dev.lsr.recorder.log.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Makes a real {@link KafkaProducer} lose the race between its {@code Sender} and {@code commitTransaction()}
 * on demand (Kafka 4.4). The Sender asks {@code accumulator.hasIncomplete()} before it takes the
 * transaction manager's lock to pick its next request; a commit that lands between the two is sent as
 * EndTxn before the transaction's own records. Under transactions v2 the broker adds a partition to a
 * transaction only when its records arrive, so the coordinator still sees the previous commit and answers
 * {@code INVALID_TXN_STATE}, fatal in the client.
 *
 * <p>The test hook: the accumulator's set of incomplete batches is replaced (before the first send) by one
 * whose {@code isEmpty()}, once armed and called by the Sender thread on an empty accumulator, waits
 * (releasing the set's lock, so sends can append) until a commit or a flush has begun, or at most
 * {@link #MAX_STALL}, then answers the stale "empty". That widens the gap to whatever the caller does in
 * it, deterministically. Reflection on Kafka's internals: test only, pinned to the client version.
 */
final class SenderRace {

    static final long MAX_STALL_MILLIS = 2_000;
    static final String MAX_STALL = MAX_STALL_MILLIS + " ms";

    private final Object transactionManager;
    private final Object accumulator;
    private final Object sender;
    private final StallingSet batches = new StallingSet();
    private volatile boolean armed;
    private volatile CountDownLatch stalled = new CountDownLatch(1);

    private SenderRace(KafkaProducer<?, ?> producer) {
        accumulator = read(producer, KafkaProducer.class, "accumulator");
        transactionManager = read(producer, KafkaProducer.class, "transactionManager");
        sender = read(producer, KafkaProducer.class, "sender");
        Object incomplete = read(accumulator, accumulator.getClass(), "incomplete");
        write(incomplete, "incomplete", batches);
    }

    /** Installs the hook; call right after creating the producer, before its first send. */
    static SenderRace install(KafkaProducer<?, ?> producer) {
        return new SenderRace(producer);
    }

    /** Arms the hook once and waits until the Sender sits in the gap with a stale "no batches". */
    void armAndAwaitStall() throws InterruptedException {
        stalled = new CountDownLatch(1);
        armed = true;
        invoke(sender, "wakeup");
        if (!stalled.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the Sender never asked for incomplete batches");
        }
    }

    private boolean commitOrFlushBegun() {
        return (Boolean) invoke(transactionManager, "isCompleting") || (Boolean) invoke(accumulator, "flushInProgress");
    }

    /** The set of incomplete batches; its lock is IncompleteBatches' lock. */
    private final class StallingSet extends HashSet<Object> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isEmpty() {
            boolean empty = super.isEmpty();
            if (!empty || !armed || !Thread.currentThread().getName().startsWith("kafka-producer-network-thread")) {
                return empty;
            }
            armed = false;
            stalled.countDown();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_STALL_MILLIS);
            try {
                synchronized (this) { // already held by IncompleteBatches; wait() lets sends append meanwhile
                    while (!commitOrFlushBegun() && System.nanoTime() < until) {
                        wait(1);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return empty;
        }
    }

    private static Object read(Object target, Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("kafka-clients changed: " + type.getName() + "." + name, e);
        }
    }

    private static void write(Object target, String name, Set<?> value) {
        try {
            Field field = target.getClass().getDeclaredField(name);
            field.setAccessible(true);
            field.set(target, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "kafka-clients changed: " + target.getClass().getName() + "." + name, e);
        }
    }

    private static Object invoke(Object target, String method) {
        try {
            Method m = target.getClass().getDeclaredMethod(method);
            m.setAccessible(true);
            return m.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "kafka-clients changed: " + target.getClass().getName() + "." + method, e);
        }
    }
}
