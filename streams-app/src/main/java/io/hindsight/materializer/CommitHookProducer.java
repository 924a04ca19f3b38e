package io.hindsight.materializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.function.Supplier;
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
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * A stream thread's transactional producer with one hook: right before the Kafka transaction
 * commits (input offsets and changelog writes), the thread's Iceberg rows are committed with those
 * offsets; when the transaction aborts, the rows are dropped. So the tables and Kafka move
 * together: Iceberg is never behind what Kafka Streams considers processed.
 */
final class CommitHookProducer implements Producer<byte[], byte[]> {
  private final Producer<byte[], byte[]> delegate;
  private final String inputTopic;
  private final Supplier<Optional<IcebergSink>> sink;
  private final Map<Integer, Long> pendingOffsets = new HashMap<>();

  CommitHookProducer(
      Producer<byte[], byte[]> delegate,
      String inputTopic,
      Supplier<Optional<IcebergSink>> sinkOfCurrentThread) {
    this.delegate = delegate;
    this.inputTopic = inputTopic;
    this.sink = sinkOfCurrentThread;
  }

  @Override
  public void sendOffsetsToTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
    delegate.sendOffsetsToTransaction(offsets, groupMetadata);
    offsets.forEach(
        (tp, offset) -> {
          if (tp.topic().equals(inputTopic)) {
            pendingOffsets.put(tp.partition(), offset.offset());
          }
        });
  }

  @Override
  public void commitTransaction() {
    Optional<IcebergSink> rows = sink.get();
    if (rows.isPresent()) {
      try {
        rows.get().commit(pendingOffsets);
      } catch (ProducerFencedException fenced) {
        rows.get().reset();
        pendingOffsets.clear();
        throw fenced;
      }
    }
    delegate.commitTransaction();
    pendingOffsets.clear();
  }

  @Override
  public void abortTransaction() {
    pendingOffsets.clear();
    sink.get().ifPresent(IcebergSink::abort);
    delegate.abortTransaction();
  }

  @Override
  public void initTransactions() {
    delegate.initTransactions();
  }

  @Override
  public void beginTransaction() {
    delegate.beginTransaction();
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
    return delegate.send(record);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
    return delegate.send(record, callback);
  }

  @Override
  public void flush() {
    delegate.flush();
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return delegate.partitionsFor(topic);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return delegate.metrics();
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return delegate.clientInstanceId(timeout);
  }

  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {
    delegate.registerMetricForSubscription(metric);
  }

  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {
    delegate.unregisterMetricFromSubscription(metric);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public void close(Duration timeout) {
    delegate.close(timeout);
  }
}
