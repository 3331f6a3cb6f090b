package dev.lsr.consumer.analytics.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * A real producer that runs a fault just before its second commit: the fault may throw (the commit then
 * fails with that, its transaction left open for the caller to abort) or act on the broker (fence this
 * producer) and let the real commit meet the result. Everything else goes to the real producer.
 */
final class SecondCommitFault implements Producer<byte[], byte[]> {

    private final Producer<byte[], byte[]> real;
    private final Runnable fault;
    private int commits;
    private volatile boolean happened;

    SecondCommitFault(Producer<byte[], byte[]> real, Runnable fault) {
        this.real = real;
        this.fault = fault;
    }

    /** The commit fails as a coordinator answers when it bumped the epoch under an open transaction. */
    static SecondCommitFault epochError(Producer<byte[], byte[]> real) {
        return new SecondCommitFault(real, () -> {
            throw new InvalidProducerEpochException("Producer attempted to produce with an old epoch.");
        });
    }

    boolean happened() {
        return happened;
    }

    @Override
    public void commitTransaction() {
        if (++commits == 2) {
            happened = true;
            fault.run();
        }
        real.commitTransaction();
    }

    @Override
    public void initTransactions() {
        real.initTransactions();
    }

    @Override
    public void beginTransaction() {
        real.beginTransaction();
    }

    @Override
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        real.sendOffsetsToTransaction(offsets, group);
    }

    @Override
    public void abortTransaction() {
        real.abortTransaction();
    }

    @Override
    public void registerMetricForSubscription(KafkaMetric metric) {
        real.registerMetricForSubscription(metric);
    }

    @Override
    public void unregisterMetricFromSubscription(KafkaMetric metric) {
        real.unregisterMetricFromSubscription(metric);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        return real.send(record);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
        return real.send(record, callback);
    }

    @Override
    public void flush() {
        real.flush();
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return real.partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return real.metrics();
    }

    @Override
    public Uuid clientInstanceId(Duration timeout) {
        return real.clientInstanceId(timeout);
    }

    @Override
    public void close() {
        real.close();
    }

    @Override
    public void close(Duration timeout) {
        real.close(timeout);
    }
}
