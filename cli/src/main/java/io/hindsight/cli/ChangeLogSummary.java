package io.hindsight.cli;

import io.hindsight.schemas.TopicReaders;
import io.hindsight.schemas.Topics;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.ChangeLogRecord;
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

/** Reads what one cluster has recorded in hindsight.changes (committed records only). */
final class ChangeLogSummary implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroDeserializer<ObjectKey> keys;
  private final AvroDeserializer<ChangeLogRecord> values;
  private final String cluster;
  private final List<ChangeEnvelope> changes = new ArrayList<>();
  private final List<WatchGap> gaps = new ArrayList<>();

  ChangeLogSummary(String bootstrap, String registryUrl, String cluster) {
    consumer = TopicReaders.committedBytes(bootstrap);
    SchemaRegistryClient registry = new SchemaRegistryClient(registryUrl);
    keys = new AvroDeserializer<>(ObjectKey.class, registry);
    values = new AvroDeserializer<>(ChangeLogRecord.class, registry);
    this.cluster = cluster;
    List<TopicPartition> partitions =
        consumer.partitionsFor(Topics.CHANGES, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Reads what arrived since the last call; returns this. */
  ChangeLogSummary poll() {
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
      if (!keys.deserialize(r.topic(), r.key()).getCluster().equals(cluster)) {
        continue;
      }
      Object body = values.deserialize(r.topic(), r.value()).getBody();
      if (body instanceof ChangeEnvelope change) {
        changes.add(change);
      } else if (body instanceof WatchGap gap) {
        gaps.add(gap);
      }
    }
    return this;
  }

  List<ChangeEnvelope> changes(Predicate<ChangeEnvelope> filter) {
    return changes.stream().filter(filter).toList();
  }

  List<WatchGap> gaps() {
    return gaps;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
