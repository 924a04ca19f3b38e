package io.hindsight.watcher;

import io.hindsight.schemas.TopicReaders;
import io.hindsight.schemas.Topics;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.ChangeLogRecord;
import io.hindsight.schemas.avro.ObjectKey;
import io.hindsight.schemas.avro.ObjectState;
import io.hindsight.schemas.avro.WatcherProgress;
import io.hindsight.schemas.avro.WatcherStateRecord;
import io.hindsight.serde.AvroDeserializer;
import io.hindsight.serde.SchemaRegistryClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads back what earlier runs of the watcher published: the compacted state topic into a {@link
 * KnownState} and the last progress watermark; and, on demand, the full last change of one object
 * from {@code hindsight.changes} (to give a delete seen only by absence its final state). Reads
 * committed data only.
 */
final class WatcherStateStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatcherStateStore.class);
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroDeserializer<ObjectKey> keys;
  private final AvroDeserializer<WatcherStateRecord> states;
  private final AvroDeserializer<ChangeLogRecord> changes;
  private final String cluster;

  /** What the state topic held. */
  record Loaded(
      KnownState known, Optional<Instant> lastCompleteThrough, List<String> knownKeysSnapshot) {}

  WatcherStateStore(String bootstrapServers, SchemaRegistryClient registry, String cluster) {
    this.consumer = TopicReaders.committedBytes(bootstrapServers);
    this.keys = new AvroDeserializer<>(ObjectKey.class, registry);
    this.states = new AvroDeserializer<>(WatcherStateRecord.class, registry);
    this.changes = new AvroDeserializer<>(ChangeLogRecord.class, registry);
    this.cluster = cluster;
  }

  Loaded load() {
    long started = System.nanoTime();
    List<TopicPartition> partitions =
        consumer.partitionsFor(Topics.WATCHER_STATE, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    KnownState known = new KnownState();
    Instant progress = null;
    long records = 0;
    while (!reached(end)) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
        records++;
        ObjectKey key = keys.deserialize(record.topic(), record.key());
        if (!key.getCluster().equals(cluster)) {
          continue;
        }
        String compact = ObjectKeys.compact(key);
        if (record.value() == null) {
          known.remove(compact);
          continue;
        }
        Object body = states.deserialize(record.topic(), record.value()).getBody();
        if (body instanceof WatcherProgress p) {
          progress = p.getCompleteThrough();
        } else if (body instanceof ObjectState s) {
          known.put(
              compact,
              new KnownState.Entry(
                  s.getUid(), s.getObjectHash(), s.getChangesPartition(), s.getChangesOffset()));
        }
      }
    }
    LOG.info(
        "read {} state records in {} ms: {} objects known, last complete-through {}",
        records,
        (System.nanoTime() - started) / 1_000_000,
        known.size(),
        progress);
    return new Loaded(known, Optional.ofNullable(progress), known.keysWithPrefix(""));
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** The change at {@code partition}/{@code offset} of hindsight.changes, if still retained. */
  Optional<ChangeEnvelope> changeAt(int partition, long offset) {
    if (offset < 0) {
      return Optional.empty();
    }
    TopicPartition tp = new TopicPartition(Topics.CHANGES, partition);
    consumer.assign(List.of(tp));
    consumer.seek(tp, offset);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (record.offset() == offset
            && changes.deserialize(record.topic(), record.value()).getBody()
                instanceof ChangeEnvelope envelope) {
          return Optional.of(envelope);
        }
        return Optional.empty(); // retention removed it: the first record is a later one
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
