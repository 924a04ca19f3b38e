package io.hindsight.materializer;

import io.hindsight.schemas.Topics;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.ChangeLogRecord;
import io.hindsight.schemas.avro.EventType;
import io.hindsight.schemas.avro.Heartbeat;
import io.hindsight.schemas.avro.ObjectKey;
import io.hindsight.schemas.avro.Origin;
import io.hindsight.schemas.avro.WatchGap;
import io.hindsight.serde.AvroSerializer;
import io.hindsight.serde.SchemaRegistryClient;
import java.time.Instant;
import java.util.Map;

/**
 * Builds {@code hindsight.changes} records as the watcher writes them (Confluent wire format
 * through a registry), for tests.
 */
final class ChangeRecords {
  final String cluster;
  private final AvroSerializer<ObjectKey> keys;
  private final AvroSerializer<ChangeLogRecord> values;

  ChangeRecords(String cluster, SchemaRegistryClient registry) {
    this.cluster = cluster;
    this.keys = new AvroSerializer<>(registry, true);
    this.values = new AvroSerializer<>(registry, false);
  }

  /** An object change; {@code object} is its JSON. */
  ChangeEnvelope envelope(
      EventType type,
      String kind,
      String namespace,
      String name,
      String uid,
      String resourceVersion,
      String hash,
      Instant at) {
    String apiVersion = kind.equals("Deployment") ? "apps/v1" : "v1";
    String json =
        String.format(
            "{\"apiVersion\":\"%s\",\"kind\":\"%s\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\",\"uid\":\"%s\",\"resourceVersion\":\"%s\"},\"data\":{\"v\":\"%s\"}}",
            apiVersion, kind, name, namespace, uid, resourceVersion, hash);
    return ChangeEnvelope.newBuilder()
        .setEventType(type)
        .setOrigin(Origin.WATCH)
        .setCluster(cluster)
        .setApiVersion(apiVersion)
        .setKind(kind)
        .setNamespace(namespace)
        .setName(name)
        .setUid(uid)
        .setResourceVersion(resourceVersion)
        .setGeneration(null)
        .setObservedAt(at)
        .setObject(json)
        .setObjectHash(hash)
        .setLabels(Map.of("app", name))
        .setDeletedFinalStateUnknown(false)
        .setSealKeyId(null)
        .setWatcherRunId("run-1")
        .build();
  }

  byte[] key(ChangeEnvelope e) {
    String group = e.getApiVersion().contains("/") ? e.getApiVersion().split("/")[0] : "";
    return keys.serialize(
        Topics.CHANGES, new ObjectKey(cluster, group, e.getKind(), e.getNamespace(), e.getName()));
  }

  byte[] value(ChangeEnvelope e) {
    return values.serialize(Topics.CHANGES, new ChangeLogRecord(e));
  }

  byte[] heartbeatKey() {
    return keys.serialize(
        Topics.CHANGES, new ObjectKey(cluster, Topics.HINDSIGHT_GROUP, "Heartbeat", "", "p"));
  }

  byte[] heartbeat(int partition, Instant through, boolean synced) {
    return values.serialize(
        Topics.CHANGES,
        new ChangeLogRecord(new Heartbeat(cluster, "run-1", partition, through, through, synced)));
  }

  byte[] gap(int partition, Instant from, Instant to, String reason) {
    return values.serialize(
        Topics.CHANGES,
        new ChangeLogRecord(new WatchGap(cluster, "run-1", partition, "*", from, to, reason)));
  }
}
