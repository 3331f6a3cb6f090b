package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One record of the chunk topic: its envelope and its value. For a chunk the value is the SSE
 * {@code data:} payload exactly as received; for a recorder record it is the JSON of a
 * {@link LifecycleEvent}.
 */
public record ChunkLogRecord(Envelope envelope, byte[] value) {

    public ChunkLogRecord {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(value, "value");
    }

    public String runId() {
        return envelope.runId();
    }

    public Position position() {
        return envelope.position();
    }

    public RecordType type() {
        return envelope.type();
    }

    public ProducerRecord<byte[], byte[]> toProducerRecord(String topic, Integer partition) {
        byte[] runId = envelope.runId().getBytes(UTF_8);
        return new ProducerRecord<>(topic, partition, null, runId, value, EnvelopeEncoder.headers(envelope, runId));
    }

    /**
     * Reads a consumed record: its key must be its run id ({@code ce_subject}).
     *
     * @throws UnreadableRecordException when the headers do not describe a readable record, or the key is missing
     *     or names another run
     */
    public static ChunkLogRecord fromConsumerRecord(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            throw new UnreadableRecordException("record has no value");
        }
        Envelope envelope = EnvelopeHeaders.read(record.headers());
        if (record.key() == null) {
            // the key is what keeps a run's records in one partition, in order: a keyless one may be anywhere
            throw new UnreadableRecordException("record has no key (a run's records are keyed by its run id)");
        }
        if (!keyMatches(record.key(), envelope.runId())) {
            throw new UnreadableRecordException("record key does not match " + ChunkLogFormat.Headers.SUBJECT);
        }
        return new ChunkLogRecord(envelope, record.value());
    }

    /** The key names the run: compared byte by byte for ASCII run ids, as decoded UTF-8 otherwise. */
    private static boolean keyMatches(byte[] key, String runId) {
        if (key.length == runId.length()) {
            int i = 0;
            while (i < key.length && key[i] >= 0 && key[i] == runId.charAt(i)) {
                i++;
            }
            if (i == key.length) {
                return true;
            }
        }
        return runId.equals(new String(key, UTF_8));
    }

    /** The value as UTF-8 text. */
    public String valueText() {
        return new String(value, UTF_8);
    }
}
