package io.hindsight.bench;

import io.hindsight.schemas.NamespacePartitioner;
import io.hindsight.schemas.Topics;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.ChangeLogRecord;
import io.hindsight.schemas.avro.Heartbeat;
import io.hindsight.schemas.avro.ObjectKey;
import io.hindsight.serde.AvroSerializer;
import io.hindsight.serde.SchemaRegistryClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes changes to a topic the way the watcher does: Avro in the Confluent wire format through the
 * registry, transactional, each namespace to its partition ({@link NamespacePartitioner}), and a
 * synced heartbeat to every partition with the complete-through time at the end of a transaction.
 * Returns where each change landed, so a baseline can write the very same rows.
 */
final class ChangeFeeder implements AutoCloseable {
  /** Where one change sits in the topic. */
  record Position(int partition, long offset) {}

  private final String topic;
  private final int partitions;
  private final String cluster;
  private final AvroSerializer<ObjectKey> keys;
  private final AvroSerializer<ChangeLogRecord> values;
  private final KafkaProducer<byte[], byte[]> producer;
  private long bytes;
  private long records;

  ChangeFeeder(String bootstrap, String registryUrl, String topic, int partitions, String cluster) {
    this.topic = topic;
    this.partitions = partitions;
    this.cluster = cluster;
    SchemaRegistryClient registry = new SchemaRegistryClient(registryUrl);
    this.keys = new AvroSerializer<>(registry, true);
    this.values = new AvroSerializer<>(registry, false);
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-feeder-" + UUID.randomUUID());
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    // the watcher's producer settings (Watcher.producerProps)
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    this.producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    producer.initTransactions();
  }

  /** Creates {@code topic} with {@code hindsight.changes}'s settings (as the watcher does). */
  static void createTopic(Admin admin, String topic, int partitions) {
    try {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, partitions, (short) 1)
                      .configs(
                          Map.of(
                              "max.message.bytes", String.valueOf(Topics.MAX_MESSAGE_BYTES),
                              "retention.ms", "-1",
                              "compression.type", "producer"))))
          .all()
          .get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Records written so far: changes and heartbeats. */
  long records() {
    return records;
  }

  /** Serialized key + value bytes of every change written so far (before compression). */
  long bytes() {
    return bytes;
  }

  /**
   * One transaction: the changes, then (when {@code through} is set) a heartbeat to every partition
   * complete through {@code through}. Returns the changes' positions once committed.
   */
  List<Position> write(List<ChangeEnvelope> changes, Instant through) {
    producer.beginTransaction();
    List<Future<RecordMetadata>> sent = new ArrayList<>(changes.size());
    for (ChangeEnvelope e : changes) {
      int p = NamespacePartitioner.partitionOf(e.getCluster(), e.getNamespace(), partitions);
      byte[] key =
          keys.serialize(
              topic,
              new ObjectKey(
                  e.getCluster(),
                  io.hindsight.materializer.Rows.groupOf(e.getApiVersion()),
                  e.getKind(),
                  e.getNamespace(),
                  e.getName()));
      byte[] value = values.serialize(topic, new ChangeLogRecord(e));
      bytes += key.length + value.length;
      sent.add(producer.send(new ProducerRecord<>(topic, p, key, value)));
      records++;
    }
    if (through != null) {
      heartbeats(through);
    }
    producer.commitTransaction();
    List<Position> positions = new ArrayList<>(sent.size());
    try {
      for (Future<RecordMetadata> f : sent) {
        RecordMetadata m = f.get();
        positions.add(new Position(m.partition(), m.offset()));
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("a change was not written: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return positions;
  }

  private void heartbeats(Instant through) {
    for (int p = 0; p < partitions; p++) {
      byte[] key =
          keys.serialize(
              topic,
              new ObjectKey(cluster, Topics.HINDSIGHT_GROUP, "Heartbeat", "", "partition-" + p));
      byte[] value =
          values.serialize(
              topic,
              new ChangeLogRecord(new Heartbeat(cluster, "bench-run", p, through, through, true)));
      producer.send(new ProducerRecord<>(topic, p, key, value));
      records++;
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
