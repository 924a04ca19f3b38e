package io.hindsight.materializer;

import io.hindsight.history.tables.Micros;
import io.hindsight.materializer.RowSink.TableKind;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.ChangeLogRecord;
import io.hindsight.schemas.avro.EventType;
import io.hindsight.schemas.avro.Heartbeat;
import io.hindsight.schemas.avro.ObjectKey;
import io.hindsight.schemas.avro.WatchGap;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The materializer's one processor, one instance per partition of {@code hindsight.changes}. For
 * every record in partition order it decides what the history gets:
 *
 * <ul>
 *   <li>a change: dropped when it repeats what {@code latest-objects} holds (same uid and
 *       resourceVersion or hash, a late event of a deleted object), otherwise one row of {@code
 *       changes} and the object's new latest state;
 *   <li>a heartbeat: the partition's complete-through watermark;
 *   <li>a gap: one row of {@code gaps}.
 * </ul>
 *
 * A wall-clock punctuator writes a full checkpoint of every namespace that changed and whose last
 * checkpoint is a checkpoint interval of business time old, from a prefix scan of {@code
 * latest-objects}. Nothing is forwarded: rows go to the thread's {@link RowSink}, which commits
 * them with the thread's Kafka transaction, and records the table already holds are replayed into
 * the stores but not written again.
 */
final class ChangeProcessor implements Processor<byte[], byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeProcessor.class);
  private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();

  private final Deserializer<ObjectKey> keys;
  private final Deserializer<ChangeLogRecord> values;
  private final Supplier<RowSink> sinks;
  private final long checkpointIntervalMicros;
  private final Duration checkCheckpointsEvery;
  private final boolean failOnBadRecord;
  private final MaterializerMetrics metrics;

  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, byte[]> latest;
  private KeyValueStore<String, byte[]> namespaces;
  private RowSink sink;
  private String topic;
  private int partition;
  private long lastOffset = -1;
  private long partitionTimeMicros = Long.MIN_VALUE;

  ChangeProcessor(
      Deserializer<ObjectKey> keys,
      Deserializer<ChangeLogRecord> values,
      Supplier<RowSink> sinks,
      Duration checkpointInterval,
      Duration checkCheckpointsEvery,
      boolean failOnBadRecord,
      MaterializerMetrics metrics) {
    this.keys = keys;
    this.values = values;
    this.sinks = sinks;
    this.checkpointIntervalMicros = checkpointInterval.toNanos() / 1000;
    this.checkCheckpointsEvery = checkCheckpointsEvery;
    this.failOnBadRecord = failOnBadRecord;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.latest = context.getStateStore(MaterializerTopology.LATEST_OBJECTS);
    this.namespaces = context.getStateStore(MaterializerTopology.NAMESPACE_CHECKPOINTS);
    this.partition = context.taskId().partition();
    this.sink = sinks.get();
    sink.register(partition);
    context.schedule(
        checkCheckpointsEvery, PunctuationType.WALL_CLOCK_TIME, now -> checkpointDueNamespaces());
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata where = context.recordMetadata().orElseThrow();
    topic = where.topic();
    long offset = where.offset();
    lastOffset = offset;
    ObjectKey key;
    ChangeLogRecord value;
    try {
      key = keys.deserialize(topic, record.key());
      value = values.deserialize(topic, record.value());
    } catch (SerializationException | IllegalArgumentException e) {
      badRecord(offset, e);
      return;
    }
    if (value == null || key == null) {
      badRecord(offset, new SerializationException("a record without key or value"));
      return;
    }
    Object body = value.getBody();
    if (body instanceof ChangeEnvelope change) {
      onChange(key, change, record.value(), offset);
    } else if (body instanceof Heartbeat heartbeat) {
      advance(Micros.of(heartbeat.getCompleteThrough()));
      if (heartbeat.getSynced()) {
        sink.watermark(heartbeat.getCluster(), partition, heartbeat.getCompleteThrough());
      }
      metrics.records.labelValues("heartbeat", "applied").inc();
    } else if (body instanceof WatchGap gap) {
      if (sink.writes(TableKind.GAPS, partition, offset)) {
        sink.add(TableKind.GAPS, partition, Rows.gap(gap, partition, offset));
      }
      metrics.records.labelValues("gap", "recorded").inc();
    }
  }

  private void onChange(ObjectKey key, ChangeEnvelope change, byte[] raw, long offset) {
    long observedAt = Micros.of(change.getObservedAt());
    advance(observedAt);
    String storeKey = StoreKeys.object(key);
    byte[] previousBytes = latest.get(storeKey);
    StoredState previous = previousBytes == null ? null : StoredState.decode(previousBytes);
    Dedupe.Verdict verdict = Dedupe.judge(previous, change);
    if (verdict != Dedupe.Verdict.NEW) {
      metrics.records.labelValues("change", verdict.name().toLowerCase()).inc();
      return;
    }
    boolean deleted = change.getEventType() == EventType.DELETED;
    StoredState state =
        new StoredState(
            offset,
            observedAt,
            change.getUid(),
            change.getResourceVersion(),
            change.getObjectHash(),
            deleted,
            deleted ? null : raw);
    latest.put(storeKey, state.encode());
    String namespaceKey = StoreKeys.namespace(key.getCluster(), key.getNamespace());
    byte[] progressBytes = namespaces.get(namespaceKey);
    NamespaceProgress progress =
        progressBytes == null
            ? new NamespaceProgress(observedAt, 0)
            : NamespaceProgress.decode(progressBytes);
    namespaces.put(namespaceKey, progress.changed().encode());
    if (sink.writes(TableKind.CHANGES, partition, offset)) {
      sink.add(TableKind.CHANGES, partition, Rows.change(change, partition, offset));
      metrics.records.labelValues("change", "recorded").inc();
    } else {
      metrics.records.labelValues("change", "replayed").inc();
    }
  }

  private void advance(long micros) {
    partitionTimeMicros = Math.max(partitionTimeMicros, micros);
  }

  private void badRecord(long offset, Exception cause) {
    metrics.badRecords.labelValues(cause.getClass().getSimpleName()).inc();
    String where = topic + "-" + partition + "@" + offset;
    if (failOnBadRecord) {
      throw new IllegalStateException(
          "cannot read the record at "
              + where
              + " ("
              + cause.getMessage()
              + "); "
              + MaterializerConfig.ON_BAD_RECORD
              + "=fail stops the streams-app",
          cause);
    }
    LOG.error(
        "skipping unreadable record at {} ({}); recorded as a gap ({}=skip)",
        where,
        cause.getMessage(),
        MaterializerConfig.ON_BAD_RECORD);
    if (sink.writes(TableKind.GAPS, partition, offset) && partitionTimeMicros != Long.MIN_VALUE) {
      Instant at = Micros.toInstant(partitionTimeMicros);
      sink.add(
          TableKind.GAPS,
          partition,
          Rows.gap(
              new WatchGap(
                  "*",
                  "",
                  partition,
                  "*",
                  at,
                  at.plusSeconds(1),
                  "BAD_RECORD " + where + ": " + cause.getMessage()),
              partition,
              offset));
    }
  }

  /** Writes the checkpoints that are due; skipped while the tables are ahead (a replay). */
  void checkpointDueNamespaces() {
    if (partitionTimeMicros == Long.MIN_VALUE
        || lastOffset < 0
        || !sink.writes(TableKind.CHECKPOINTS, partition, lastOffset)) {
      return;
    }
    List<KeyValue<String, NamespaceProgress>> due = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> all = namespaces.all()) {
      while (all.hasNext()) {
        KeyValue<String, byte[]> entry = all.next();
        NamespaceProgress progress = NamespaceProgress.decode(entry.value);
        if (progress.due(partitionTimeMicros, checkpointIntervalMicros)) {
          due.add(KeyValue.pair(entry.key, progress));
        }
      }
    }
    for (KeyValue<String, NamespaceProgress> namespace : due) {
      String[] parts = StoreKeys.splitNamespace(namespace.key);
      writeCheckpoint(parts[0], parts[1], namespace.value.lastCheckpointMicros());
      namespaces.put(namespace.key, new NamespaceProgress(partitionTimeMicros, 0).encode());
    }
  }

  /**
   * Writes the checkpoint of one namespace from the latest-state store. Deletion markers catch late
   * repeats of a delete; one goes at the first checkpoint that follows a whole interval after the
   * delete (a delete observed after {@code previousCheckpointMicros} is kept until the next one).
   */
  private void writeCheckpoint(String cluster, String namespace, long previousCheckpointMicros) {
    String prefix = StoreKeys.namespacePrefix(cluster, namespace);
    int live = 0;
    List<String> deletionMarkers = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> objects = latest.prefixScan(prefix, PREFIX_SERIALIZER)) {
      while (objects.hasNext()) {
        KeyValue<String, byte[]> entry = objects.next();
        StoredState stored = StoredState.decode(entry.value);
        if (stored.deleted()) {
          if (stored.observedAtMicros() <= previousCheckpointMicros) {
            deletionMarkers.add(entry.key);
          }
        } else {
          live++;
        }
      }
    }
    Instant at = Micros.toInstant(partitionTimeMicros);
    int written = 0;
    try (KeyValueIterator<String, byte[]> objects = latest.prefixScan(prefix, PREFIX_SERIALIZER)) {
      while (objects.hasNext()) {
        StoredState state = StoredState.decode(objects.next().value);
        if (state.deleted()) {
          continue;
        }
        ChangeEnvelope change =
            (ChangeEnvelope) values.deserialize(topic, state.record()).getBody();
        sink.add(
            TableKind.CHECKPOINTS,
            partition,
            Rows.checkpoint(change, state.offset(), at, partition, lastOffset, live));
        written++;
      }
    }
    deletionMarkers.forEach(latest::delete);
    metrics.checkpoints.inc();
    LOG.debug(
        "checkpoint of {}/{} at {} through offset {}: {} objects",
        cluster,
        namespace,
        at,
        lastOffset,
        written);
  }

  @Override
  public void close() {
    if (sink != null) {
      sink.unregister(partition);
    }
  }
}
