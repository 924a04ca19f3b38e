package io.hindsight.watcher;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.hindsight.schemas.Topics;
import io.hindsight.schemas.avro.ObjectKey;

/** Object identities: the Avro key, and the compact string the watcher's maps use. */
final class ObjectKeys {
  static final String HEARTBEAT_KIND = "Heartbeat";
  static final String GAP_KIND = "WatchGap";
  static final String PROGRESS_KIND = "WatcherProgress";

  private ObjectKeys() {}

  static ObjectKey of(String cluster, ResourceType type, HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    return new ObjectKey(
        cluster,
        type.group(),
        type.kind(),
        namespace == null ? "" : namespace,
        object.getMetadata().getName());
  }

  /** {@code group/Kind/namespace/name}: unique within a cluster, and grouped by type. */
  static String compact(ObjectKey key) {
    return key.getApiGroup() + "/" + key.getKind() + "/" + key.getNamespace() + "/" + key.getName();
  }

  static String typePrefix(ResourceType type) {
    return type.group() + "/" + type.kind() + "/";
  }

  static ObjectKey internal(String cluster, String kind, String name) {
    return new ObjectKey(cluster, Topics.HINDSIGHT_GROUP, kind, "", name);
  }
}
