package io.hindsight.watcher;

import io.hindsight.schemas.TopicReaders;
import io.hindsight.schemas.Topics;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.ChangeLogRecord;
import io.hindsight.schemas.avro.Heartbeat;
import io.hindsight.schemas.avro.ObjectKey;
import io.hindsight.schemas.avro.WatchGap;
import io.hindsight.serde.AvroDeserializer;
import io.hindsight.serde.SchemaRegistryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Test reader of hindsight.changes: everything one cluster name published, committed records only,
 * decoded, with the raw bytes kept for the no-plaintext check.
 */
final class ChangeLog implements AutoCloseable {
  record Entry(int partition, long offset, ObjectKey key, ChangeLogRecord value, byte[] raw) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroDeserializer<ObjectKey> keys;
  private final AvroDeserializer<ChangeLogRecord> values;
  private final String cluster;
  private final List<Entry> entries = new ArrayList<>();

  ChangeLog(String bootstrap, String registryUrl, String cluster) {
    consumer = TopicReaders.committedBytes(bootstrap);
    SchemaRegistryClient registry = new SchemaRegistryClient(registryUrl);
    keys = new AvroDeserializer<>(ObjectKey.class, registry);
    values = new AvroDeserializer<>(ChangeLogRecord.class, registry);
    this.cluster = cluster;
  }

  /** Reads whatever arrived since the last call (nothing while the topic does not exist yet). */
  ChangeLog poll() {
    if (consumer.assignment().isEmpty()) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.CHANGES, Duration.ofSeconds(5)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      if (partitions.isEmpty()) {
        return this;
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }
    for (int i = 0; i < 5; i++) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        ObjectKey key = keys.deserialize(r.topic(), r.key());
        if (key.getCluster().equals(cluster)) {
          entries.add(
              new Entry(
                  r.partition(),
                  r.offset(),
                  key,
                  values.deserialize(r.topic(), r.value()),
                  r.value()));
        }
      }
    }
    return this;
  }

  List<Entry> entries() {
    return entries;
  }

  List<ChangeEnvelope> changes() {
    return entries.stream()
        .map(e -> e.value().getBody())
        .filter(ChangeEnvelope.class::isInstance)
        .map(ChangeEnvelope.class::cast)
        .toList();
  }

  /** Changes of one object, in log order. */
  List<ChangeEnvelope> changesOf(String kind, String namespace, String name) {
    return changes().stream()
        .filter(
            c ->
                c.getKind().equals(kind)
                    && c.getNamespace().equals(namespace)
                    && c.getName().equals(name))
        .toList();
  }

  List<ChangeEnvelope> changes(Predicate<ChangeEnvelope> filter) {
    return changes().stream().filter(filter).toList();
  }

  List<WatchGap> gaps() {
    return entries.stream()
        .map(e -> e.value().getBody())
        .filter(WatchGap.class::isInstance)
        .map(WatchGap.class::cast)
        .toList();
  }

  List<Heartbeat> heartbeats() {
    return entries.stream()
        .map(e -> e.value().getBody())
        .filter(Heartbeat.class::isInstance)
        .map(Heartbeat.class::cast)
        .toList();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
