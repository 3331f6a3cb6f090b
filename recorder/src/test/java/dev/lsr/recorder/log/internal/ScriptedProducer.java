package dev.lsr.recorder.log.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka's {@link MockProducer} with scripted failures, the way the real transactional producer shows
 * them: a send whose future fails puts the transaction in an error state, so the next commit throws
 * {@code KafkaException("... error state", cause)}; commit and abort can throw scripted exceptions.
 * A test ends with {@link #assertExhausted()}: a scripted failure that never happened means the test
 * did not exercise what it set up.
 */
final class ScriptedProducer extends MockProducer<byte[], byte[]> {

    private final Deque<Throwable> commitFailures = new ArrayDeque<>();
    private final Deque<RuntimeException> abortFailures = new ArrayDeque<>();
    private Predicate<ProducerRecord<byte[], byte[]>> refuse = r -> false;
    private RuntimeException refusal;
    private int refusals;
    private RuntimeException transactionError;
    private int begins;
    private int aborts;
    private int commitCalls;

    ScriptedProducer() {
        super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    ScriptedProducer failCommit(RuntimeException error) {
        commitFailures.add(error);
        return this;
    }

    /** The next commit throws an {@link Error} (a stack overflow, an out-of-memory in the client). */
    ScriptedProducer failCommitWithError(Error error) {
        commitFailures.add(error);
        return this;
    }

    ScriptedProducer failAbort(RuntimeException error) {
        abortFailures.add(error);
        return this;
    }

    /** The next {@code times} sends matching {@code which} fail with {@code error} (futures fail, the transaction errs). */
    ScriptedProducer refuse(Predicate<ProducerRecord<byte[], byte[]>> which, RuntimeException error, int times) {
        refuse = which;
        refusal = error;
        refusals = times;
        return this;
    }

    @Override
    public void beginTransaction() {
        super.beginTransaction();
        begins++;
    }

    @Override
    public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
        if (refusals > 0 && refuse.test(record)) {
            refusals--;
            transactionError = refusal;
            return CompletableFuture.failedFuture(refusal);
        }
        return super.send(record, callback);
    }

    @Override
    public void commitTransaction() {
        commitCalls++;
        if (transactionError != null) {
            throw new KafkaException(
                    "Cannot execute transactional method because we are in an error state", transactionError);
        }
        if (!commitFailures.isEmpty()) {
            Throwable failure = commitFailures.poll();
            if (failure instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) failure;
        }
        super.commitTransaction();
    }

    @Override
    public void abortTransaction() {
        if (!abortFailures.isEmpty()) {
            throw abortFailures.poll();
        }
        super.abortTransaction();
        transactionError = null;
        aborts++;
    }

    /** Fails when a scripted commit or abort failure, or a scripted refusal of sends, was never used. */
    synchronized void assertExhausted() {
        if (!commitFailures.isEmpty() || !abortFailures.isEmpty() || refusals > 0) {
            throw new AssertionError("scripted producer failures left unused: commit " + commitFailures + ", abort "
                    + abortFailures + ", " + refusals + " refusals of " + refusal);
        }
    }

    int begins() {
        return begins;
    }

    int aborts() {
        return aborts;
    }

    int commitCalls() {
        return commitCalls;
    }
}
