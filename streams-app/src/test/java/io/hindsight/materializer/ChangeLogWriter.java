package io.hindsight.materializer;

import io.hindsight.schemas.NamespacePartitioner;
import io.hindsight.schemas.avro.ChangeEnvelope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes generated changes to a topic of a real broker the way the watcher does: transactional, one
 * namespace to one partition, heartbeats to every partition.
 */
final class ChangeLogWriter implements AutoCloseable {
  private final String topic;
  private final int partitions;
  private final ChangeRecords records;
  private final KafkaProducer<byte[], byte[]> producer;

  ChangeLogWriter(String bootstrap, String topic, int partitions, ChangeRecords records) {
    this.topic = topic;
    this.partitions = partitions;
    this.records = records;
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "test-writer-" + UUID.randomUUID(),
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "zstd"),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    producer.initTransactions();
  }

  static void createTopic(Admin admin, String topic, int partitions) throws Exception {
    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
  }

  /** One transaction: the changes, then a heartbeat to every partition through {@code through}. */
  void write(List<ChangeEnvelope> changes, Instant through) {
    producer.beginTransaction();
    for (ChangeEnvelope e : changes) {
      int p = NamespacePartitioner.partitionOf(records.cluster, e.getNamespace(), partitions);
      producer.send(new ProducerRecord<>(topic, p, records.key(e), records.value(e)));
    }
    if (through != null) {
      for (int p = 0; p < partitions; p++) {
        producer.send(
            new ProducerRecord<>(
                topic, p, records.heartbeatKey(), records.heartbeat(p, through, true)));
      }
    }
    producer.commitTransaction();
  }

  void gap(Instant from, Instant to, String reason) {
    producer.beginTransaction();
    for (int p = 0; p < partitions; p++) {
      producer.send(
          new ProducerRecord<>(topic, p, records.heartbeatKey(), records.gap(p, from, to, reason)));
    }
    producer.commitTransaction();
  }

  @Override
  public void close() {
    producer.close();
  }
}
