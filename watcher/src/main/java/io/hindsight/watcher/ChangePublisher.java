package io.hindsight.watcher;

import io.hindsight.schemas.NamespacePartitioner;
import io.hindsight.schemas.Topics;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.ChangeLogRecord;
import io.hindsight.schemas.avro.EventType;
import io.hindsight.schemas.avro.Heartbeat;
import io.hindsight.schemas.avro.ObjectKey;
import io.hindsight.schemas.avro.ObjectState;
import io.hindsight.schemas.avro.Origin;
import io.hindsight.schemas.avro.WatchGap;
import io.hindsight.schemas.avro.WatcherProgress;
import io.hindsight.schemas.avro.WatcherStateRecord;
import io.hindsight.serde.AvroSerializer;
import io.hindsight.serde.SchemaRegistryException;
import io.hindsight.watcher.Observation.CloseGap;
import io.hindsight.watcher.Observation.ObjectEvent;
import io.hindsight.watcher.Observation.Reconcile;
import io.hindsight.watcher.Observation.Stamped;
import io.hindsight.watcher.Observation.Tick;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that turns observations into Kafka records, one transaction per batch: change
 * envelopes to {@code hindsight.changes} and, in the same transaction, what was published to the
 * compacted state topic, so a restart knows exactly what is already there. Decides what is a real
 * change (hash differs from what was published), sends heartbeats when every informer watches, and
 * records gaps.
 */
final class ChangePublisher implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangePublisher.class);
  // observations per transaction; with the queue's high water (1000) this bounds the full objects
  // in flight to about two thousand, wherever they are between a list page and Kafka
  private static final int MAX_BATCH = 1000;

  private final ObservationQueue queue;
  private final InformerSet informers;
  private final KnownState known;
  private final WatcherStateStore stateStore;
  private final EnvelopeFactory envelopes;
  private final Producer<byte[], byte[]> producer;
  private final AvroSerializer<ObjectKey> keySerializer;
  private final AvroSerializer<ChangeLogRecord> changeSerializer;
  private final AvroSerializer<WatcherStateRecord> stateSerializer;
  private final WatcherMetrics metrics;
  private final String cluster;
  private final String runId;
  private final int partitions;
  private final long transactionMaxMs;
  private final boolean failOnBadObject;
  private final Consumer<Throwable> onFatal;

  private volatile boolean running = true;
  private volatile boolean startupDone;
  private volatile Instant completeThrough;
  private volatile boolean healthy;

  ChangePublisher(
      ObservationQueue queue,
      InformerSet informers,
      KnownState known,
      Optional<Instant> lastCompleteThrough,
      WatcherStateStore stateStore,
      EnvelopeFactory envelopes,
      Producer<byte[], byte[]> producer,
      AvroSerializer<ObjectKey> keySerializer,
      AvroSerializer<ChangeLogRecord> changeSerializer,
      AvroSerializer<WatcherStateRecord> stateSerializer,
      WatcherMetrics metrics,
      String cluster,
      String runId,
      int partitions,
      long transactionMaxMs,
      boolean failOnBadObject,
      Consumer<Throwable> onFatal) {
    this.queue = queue;
    this.informers = informers;
    this.known = known;
    this.completeThrough = lastCompleteThrough.orElse(null);
    this.stateStore = stateStore;
    this.envelopes = envelopes;
    this.producer = producer;
    this.keySerializer = keySerializer;
    this.changeSerializer = changeSerializer;
    this.stateSerializer = stateSerializer;
    this.metrics = metrics;
    this.cluster = cluster;
    this.runId = runId;
    this.partitions = partitions;
    this.transactionMaxMs = transactionMaxMs;
    this.failOnBadObject = failOnBadObject;
    this.onFatal = onFatal;
  }

  /** Marks the start-up gap as published: from now on heartbeats may advance. */
  void startupDone() {
    startupDone = true;
  }

  boolean ready() {
    return startupDone && healthy;
  }

  Instant completeThrough() {
    return completeThrough;
  }

  int knownObjects() {
    return known.size();
  }

  void stop() {
    running = false;
  }

  @Override
  public void run() {
    List<Stamped> batch = new ArrayList<>();
    long backoffMs = 100;
    while (running) {
      try {
        if (batch.isEmpty()) {
          queue.gather(batch, MAX_BATCH, transactionMaxMs);
          if (batch.isEmpty()) {
            continue;
          }
        }
        publish(batch);
        batch.clear();
        backoffMs = 100;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ProducerFencedException
          | OutOfOrderSequenceException
          | AuthorizationException
          | AuthenticationException
          | UnsupportedVersionException e) {
        onFatal.accept(fatal(e));
        return;
      } catch (BadObjectException e) {
        onFatal.accept(e);
        return;
      } catch (SchemaRegistryException e) {
        if (!e.retriable()) {
          onFatal.accept(e);
          return;
        }
        if (!retryLater(batch.size(), e, backoffMs)) {
          return;
        }
        backoffMs = Math.min(backoffMs * 2, 10_000);
      } catch (KafkaException | IllegalStateException e) {
        if (!retryLater(batch.size(), e, backoffMs)) {
          return;
        }
        backoffMs = Math.min(backoffMs * 2, 10_000);
      } catch (RuntimeException e) {
        onFatal.accept(e);
        return;
      }
    }
  }

  /**
   * After a failure that may pass (Kafka or the registry away for a while): aborts the transaction
   * and waits; the same batch is published again. False when the watcher must stop instead.
   */
  private boolean retryLater(int observations, RuntimeException cause, long backoffMs) {
    metrics.errors.inc();
    LOG.warn(
        "publishing {} observations failed, retrying in {} ms: {}",
        observations,
        backoffMs,
        cause.toString());
    try {
      producer.abortTransaction();
    } catch (ProducerFencedException fenced) {
      onFatal.accept(fatal(fenced));
      return false;
    } catch (RuntimeException abortFailed) {
      LOG.debug("abort failed (no transaction was open?)", abortFailed);
    }
    return pause(backoffMs);
  }

  private static RuntimeException fatal(KafkaException e) {
    if (e instanceof ProducerFencedException) {
      return new IllegalStateException(
          "another watcher for this cluster took over (producer fenced): two watchers must not"
              + " share a "
              + WatcherConfig.CLUSTER_NAME,
          e);
    }
    return new IllegalStateException("Kafka refused the watcher for good: " + e.getMessage(), e);
  }

  /** Publishes one batch in one transaction; on failure nothing of it is kept. */
  private void publish(List<Stamped> batch) throws InterruptedException {
    Transaction tx = new Transaction();
    producer.beginTransaction();
    for (Stamped stamped : batch) {
      Observation observation = stamped.observation();
      if (observation instanceof ObjectEvent event) {
        onObject(tx, stamped.at(), event);
      } else if (observation instanceof Reconcile reconcile) {
        onReconcile(tx, stamped.at(), reconcile);
      } else if (observation instanceof Tick) {
        onTick(tx, stamped.at());
      } else if (observation instanceof CloseGap gap) {
        onCloseGap(tx, stamped.at(), gap);
      }
    }
    // the offsets of the changes are known once they are written; the state records carry them
    producer.flush();
    for (PendingState pending : tx.states) {
      RecordMetadata where = await(pending.change);
      if (tx.known.get(pending.compactKey) == null) {
        continue; // deleted later in the same batch: its tombstone is already sent
      }
      ObjectState state =
          new ObjectState(
              pending.envelope.getUid(),
              pending.envelope.getResourceVersion(),
              pending.envelope.getObjectHash(),
              where.partition(),
              where.offset());
      tx.known.put(
          pending.compactKey,
          new KnownState.Entry(
              state.getUid(), state.getObjectHash(), where.partition(), where.offset()));
      sendState(pending.key, new WatcherStateRecord(state));
    }
    if (tx.progress != null) {
      sendState(
          ObjectKeys.internal(cluster, ObjectKeys.PROGRESS_KIND, "progress"),
          new WatcherStateRecord(new WatcherProgress(runId, tx.progress)));
    }
    producer.commitTransaction();
    tx.known.commit();
    metrics.transactions.inc();
    for (Runnable after : tx.afterCommit) {
      after.run();
    }
  }

  private static RecordMetadata await(Future<RecordMetadata> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof KafkaException k) {
        throw k;
      }
      throw new KafkaException(e.getCause());
    }
  }

  private void onObject(Transaction tx, Instant at, ObjectEvent event) throws InterruptedException {
    ResourceType type = event.type();
    ObjectKey key = ObjectKeys.of(cluster, type, event.object());
    String compact = ObjectKeys.compact(key);
    KnownState.Entry previous = tx.known.get(compact);
    if (event.kind() == ObjectEvent.Kind.RESYNC) {
      // same resourceVersion: nothing changed (and the informer's cache holds slim objects only)
      metrics.unchanged.inc();
      return;
    }
    if (event.kind() == ObjectEvent.Kind.DELETE && event.finalStateUnknown()) {
      // found gone by a relist: the cached object is slim, the last known state is in Kafka
      if (previous == null) {
        metrics.unchanged.inc();
      } else {
        deleteUnseen(tx, at, compact, previous, type.apiVersion());
      }
      return;
    }
    EnvelopeFactory.Material material;
    try {
      material = materialOf(event);
    } catch (RuntimeException e) {
      badObject(tx, at, type, key, "UNREADABLE", e.toString());
      return;
    }
    if (event.kind() == ObjectEvent.Kind.DELETE) {
      if (previous == null) {
        metrics.unchanged.inc();
        return; // never published: nothing to delete from history
      }
      // seen on the watch, with its final state (a relist's deletes were handled above)
      ChangeEnvelope envelope =
          envelopes.envelope(
              type, event.object(), material, EventType.DELETED, Origin.WATCH, at, false);
      if (sendChange(tx, at, key, envelope, type)) {
        tx.known.remove(compact);
        sendTombstone(key);
      }
      return;
    }
    if (previous != null && previous.hasHash(material.hash())) {
      metrics.unchanged.inc();
      return;
    }
    String uid = event.object().getMetadata().getUid();
    if (previous != null && uid != null && !previous.uid().equals(uid)) {
      // deleted and created again while not watched: the old object's end is a change too
      deleteUnseen(tx, at, compact, previous, type.apiVersion());
      previous = null;
    }
    Origin origin = inGap(type) ? Origin.RELIST : Origin.WATCH;
    ChangeEnvelope envelope =
        envelopes.envelope(
            type,
            event.object(),
            material,
            previous == null ? EventType.ADDED : EventType.MODIFIED,
            origin,
            at,
            false);
    sendChangeWithState(tx, at, key, compact, envelope, type);
  }

  /** The object's JSON and hash: computed ahead by {@link MaterialWorkers}, or here. */
  private EnvelopeFactory.Material materialOf(ObjectEvent event) throws InterruptedException {
    if (event.material() == null) {
      return envelopes.material(event.type(), event.object());
    }
    try {
      return event.material().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private boolean inGap(ResourceType type) {
    if (!startupDone) {
      return true;
    }
    TrackedInformer t = informers.get(type.id());
    return t != null && (!t.delivered || t.gapFrom != null || t.gapClosing);
  }

  private void onReconcile(Transaction tx, Instant at, Reconcile reconcile) {
    for (String compact : known.keysWithPrefix(reconcile.keyPrefix())) {
      KnownState.Entry entry = tx.known.get(compact);
      String[] parts = compact.split("/", 4);
      String namespace = parts[2];
      String storeKey = namespace.isEmpty() ? parts[3] : namespace + "/" + parts[3];
      if (entry != null
          && reconcile.namespaceInScope().test(namespace)
          && !reconcile.liveKeys().contains(storeKey)) {
        deleteUnseen(tx, at, compact, entry, null);
      }
    }
  }

  /** Publishes the deletion of an object that vanished unseen, with its last known state. */
  private void deleteUnseen(
      Transaction tx, Instant at, String compact, KnownState.Entry entry, String apiVersion) {
    String[] parts = compact.split("/", 4);
    ObjectKey key = new ObjectKey(cluster, parts[0], parts[1], parts[2], parts[3]);
    Optional<ChangeEnvelope> last =
        stateStore.changeAt(entry.statePartition(), entry.stateOffset());
    ChangeEnvelope.Builder envelope;
    if (last.isPresent()) {
      envelope = ChangeEnvelope.newBuilder(last.get());
    } else {
      String version =
          apiVersion != null ? apiVersion : parts[0].isEmpty() ? "v1" : parts[0] + "/v1";
      String minimal =
          String.format(
              "{\"apiVersion\":\"%s\",\"kind\":\"%s\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\",\"uid\":\"%s\"}}",
              version, parts[1], parts[3], parts[2], entry.uid());
      envelope =
          ChangeEnvelope.newBuilder()
              .setCluster(cluster)
              .setApiVersion(version)
              .setKind(parts[1])
              .setNamespace(parts[2])
              .setName(parts[3])
              .setUid(entry.uid())
              .setResourceVersion("")
              .setGeneration(null)
              .setObject(minimal)
              .setObjectHash(entry.hash())
              .setLabels(java.util.Map.of())
              .setSealKeyId(null);
    }
    envelope
        .setEventType(EventType.DELETED)
        .setOrigin(Origin.RELIST)
        .setObservedAt(at)
        .setDeletedFinalStateUnknown(true)
        .setWatcherRunId(runId);
    if (sendChange(tx, at, key, envelope.build(), null)) {
      tx.known.remove(compact);
      sendTombstone(key);
    }
  }

  private void onTick(Transaction tx, Instant at) {
    List<TrackedInformer> closable = new ArrayList<>();
    boolean allHealthy = informers.check(at, closable);
    for (TrackedInformer t : closable) {
      Instant from = t.gapFrom;
      boolean queued =
          queue.tryPut(
              new CloseGap(
                  t.type.id(),
                  from,
                  t.gapReason,
                  () -> {
                    if (t.gapFrom == from) {
                      t.gapFrom = null;
                    }
                    t.gapClosing = false;
                  }));
      if (!queued) {
        t.gapClosing = false; // the queue is full: try again at the next tick
      }
    }
    healthy = allHealthy && startupDone;
    if (healthy) {
      tx.progress = at;
      tx.afterCommit.add(() -> completeThrough = at);
    }
    Instant through = healthy ? at : completeThrough;
    for (int p = 0; p < partitions; p++) {
      Heartbeat heartbeat =
          new Heartbeat(cluster, runId, p, at, through == null ? Instant.EPOCH : through, healthy);
      send(
          Topics.CHANGES,
          p,
          ObjectKeys.internal(cluster, ObjectKeys.HEARTBEAT_KIND, "partition-" + p),
          new ChangeLogRecord(heartbeat));
    }
  }

  private void onCloseGap(Transaction tx, Instant at, CloseGap gap) {
    if (gap.from() != null) {
      for (int p = 0; p < partitions; p++) {
        WatchGap record =
            new WatchGap(cluster, runId, p, gap.resource(), gap.from(), at, gap.reason());
        send(
            Topics.CHANGES,
            p,
            ObjectKeys.internal(cluster, ObjectKeys.GAP_KIND, "partition-" + p),
            new ChangeLogRecord(record));
      }
      metrics.gaps.labelValues(gap.reason().split(" ")[0]).inc();
      LOG.info(
          "recorded gap for {} from {} to {}: {}", gap.resource(), gap.from(), at, gap.reason());
    }
    if (gap.onPublished() != null) {
      tx.afterCommit.add(gap.onPublished());
    }
  }

  private void sendChangeWithState(
      Transaction tx,
      Instant at,
      ObjectKey key,
      String compact,
      ChangeEnvelope envelope,
      ResourceType type) {
    byte[] value = serializeChange(tx, at, key, envelope, type);
    if (value == null) {
      return;
    }
    Future<RecordMetadata> change = sendRaw(Topics.CHANGES, partitionOf(key), key, value);
    // visible at once to later observations of the same batch; the offset follows after flush()
    tx.known.put(
        compact, new KnownState.Entry(envelope.getUid(), envelope.getObjectHash(), -1, -1));
    tx.states.add(new PendingState(key, compact, envelope, change));
    metrics.published.labelValues(envelope.getKind(), envelope.getEventType().name()).inc();
  }

  private boolean sendChange(
      Transaction tx, Instant at, ObjectKey key, ChangeEnvelope envelope, ResourceType type) {
    byte[] value = serializeChange(tx, at, key, envelope, type);
    if (value == null) {
      return false;
    }
    sendRaw(Topics.CHANGES, partitionOf(key), key, value);
    metrics.published.labelValues(envelope.getKind(), envelope.getEventType().name()).inc();
    return true;
  }

  private byte[] serializeChange(
      Transaction tx, Instant at, ObjectKey key, ChangeEnvelope envelope, ResourceType type) {
    byte[] value;
    try {
      value = changeSerializer.serialize(Topics.CHANGES, new ChangeLogRecord(envelope));
    } catch (org.apache.kafka.common.errors.SerializationException e) {
      badObject(tx, at, type, key, "UNSERIALIZABLE", e.getMessage());
      return null;
    }
    if (value.length > Topics.MAX_MESSAGE_BYTES - 4096) {
      badObject(
          tx,
          at,
          type,
          key,
          "TOO_LARGE",
          value.length + " bytes, over the " + Topics.MAX_MESSAGE_BYTES + "-byte record limit");
      return null;
    }
    return value;
  }

  private void badObject(
      Transaction tx, Instant at, ResourceType type, ObjectKey key, String reason, String detail) {
    String identity = ObjectKeys.compact(key);
    metrics.badObjects.labelValues(key.getKind(), reason).inc();
    if (failOnBadObject) {
      throw new BadObjectException(
          "cannot publish "
              + identity
              + " ("
              + reason
              + ": "
              + detail
              + "); "
              + WatcherConfig.ON_BAD_OBJECT
              + "=fail stops the watcher");
    }
    LOG.error(
        "skipping {} ({}: {}); a gap is recorded for it ({}=skip)",
        identity,
        reason,
        detail,
        WatcherConfig.ON_BAD_OBJECT);
    String resource =
        (type != null ? type.id() : key.getApiGroup() + "/" + key.getKind())
            + " "
            + key.getNamespace()
            + "/"
            + key.getName();
    onCloseGap(tx, at, new CloseGap(resource, at, "BAD_OBJECT " + reason + ": " + detail, null));
  }

  private void sendTombstone(ObjectKey key) {
    producer.send(
        new ProducerRecord<>(
            Topics.WATCHER_STATE, 0, keySerializer.serialize(Topics.WATCHER_STATE, key), null));
  }

  private void sendState(ObjectKey key, WatcherStateRecord value) {
    producer.send(
        new ProducerRecord<>(
            Topics.WATCHER_STATE,
            0,
            keySerializer.serialize(Topics.WATCHER_STATE, key),
            stateSerializer.serialize(Topics.WATCHER_STATE, value)));
  }

  private void send(String topic, int partition, ObjectKey key, ChangeLogRecord value) {
    sendRaw(topic, partition, key, changeSerializer.serialize(topic, value));
  }

  private Future<RecordMetadata> sendRaw(String topic, int partition, ObjectKey key, byte[] value) {
    return producer.send(
        new ProducerRecord<>(topic, partition, keySerializer.serialize(topic, key), value));
  }

  private int partitionOf(ObjectKey key) {
    return NamespacePartitioner.partitionOf(cluster, key.getNamespace(), partitions);
  }

  private boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return running;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private record PendingState(
      ObjectKey key, String compactKey, ChangeEnvelope envelope, Future<RecordMetadata> change) {}

  private final class Transaction {
    final KnownState.Batch known = ChangePublisher.this.known.batch();
    final List<PendingState> states = new ArrayList<>();
    final List<Runnable> afterCommit = new ArrayList<>();
    Instant progress;
  }

  /** An object could not be published and the policy says stop. */
  static final class BadObjectException extends RuntimeException {
    BadObjectException(String message) {
      super(message);
    }
  }
}
