package io.hindsight.watcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.EventType;
import io.hindsight.schemas.avro.Origin;
import io.hindsight.schemas.sealing.SecretSealer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * Turns an object as an informer saw it into a change envelope: its JSON (Secret values sealed),
 * its hash over the canonical JSON (keys sorted, without resourceVersion and managedFields; a keyed
 * HMAC for Secrets), labels and metadata.
 */
final class EnvelopeFactory {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);

  private final String cluster;
  private final String watcherRunId;
  private final SecretSealer sealer;

  EnvelopeFactory(String cluster, String watcherRunId, SecretSealer sealer) {
    this.cluster = cluster;
    this.watcherRunId = watcherRunId;
    this.sealer = sealer;
  }

  /** The JSON and hash of one object, computed once per observation. */
  record Material(String json, String hash, boolean sealed) {}

  Material material(ResourceType type, GenericKubernetesResource object) {
    ObjectNode tree = JSON.valueToTree(object);
    // hash without resourceVersion and managedFields: take them out, hash, put them back
    byte[] canonical;
    if (tree.get("metadata") instanceof ObjectNode meta) {
      var resourceVersion = meta.remove("resourceVersion");
      var managedFields = meta.remove("managedFields");
      canonical = canonicalBytes(tree);
      if (resourceVersion != null) {
        meta.set("resourceVersion", resourceVersion);
      }
      if (managedFields != null) {
        meta.set("managedFields", managedFields);
      }
    } else {
      canonical = canonicalBytes(tree);
    }
    if (isSecret(type)) {
      sealer.seal(tree);
      return new Material(tree.toString(), sealer.hmacHex(canonical), true);
    }
    return new Material(tree.toString(), sha256Hex(canonical), false);
  }

  ChangeEnvelope envelope(
      ResourceType type,
      GenericKubernetesResource object,
      Material material,
      EventType eventType,
      Origin origin,
      Instant observedAt,
      boolean finalStateUnknown) {
    ObjectMeta meta = object.getMetadata();
    Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
    return ChangeEnvelope.newBuilder()
        .setEventType(eventType)
        .setOrigin(origin)
        .setCluster(cluster)
        .setApiVersion(type.apiVersion())
        .setKind(type.kind())
        .setNamespace(meta.getNamespace() == null ? "" : meta.getNamespace())
        .setName(meta.getName())
        .setUid(meta.getUid() == null ? "" : meta.getUid())
        .setResourceVersion(meta.getResourceVersion() == null ? "" : meta.getResourceVersion())
        .setGeneration(meta.getGeneration())
        .setObservedAt(observedAt)
        .setObject(material.json())
        .setObjectHash(material.hash())
        .setLabels(labels)
        .setDeletedFinalStateUnknown(finalStateUnknown)
        .setSealKeyId(material.sealed() ? sealer.activeKeyId() : null)
        .setWatcherRunId(watcherRunId)
        .build();
  }

  static boolean isSecret(ResourceType type) {
    return type.group().isEmpty() && type.kind().equals("Secret");
  }

  private static byte[] canonicalBytes(ObjectNode tree) {
    try {
      return CANONICAL.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write canonical JSON: " + e, e);
    }
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
