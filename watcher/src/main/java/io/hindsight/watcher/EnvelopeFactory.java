package io.hindsight.watcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.EventType;
import io.hindsight.schemas.avro.Origin;
import io.hindsight.schemas.sealing.SecretSealer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * Turns an object as an informer saw it into a change envelope: its JSON in canonical form (keys
 * sorted; Secret values sealed), its hash over the same bytes without resourceVersion and
 * managedFields (a keyed HMAC for Secrets), labels and metadata.
 */
final class EnvelopeFactory {
  private static final ObjectMapper JSON = new ObjectMapper();

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

  /**
   * The object's canonical JSON (Secret values sealed) and its hash. Thread-safe: computed ahead of
   * the publisher, on {@link MaterialWorkers}.
   */
  Material material(ResourceType type, GenericKubernetesResource object) {
    ObjectNode tree = JSON.valueToTree(object);
    CanonicalJson canonical = CanonicalJson.of(tree);
    if (isSecret(type)) {
      String hash = sealer.hmacHex(canonical.hashInput());
      sealer.seal(tree);
      return new Material(utf8(CanonicalJson.of(tree).json()), hash, true);
    }
    return new Material(utf8(canonical.json()), sha256Hex(canonical.hashInput()), false);
  }

  private static String utf8(byte[] json) {
    return new String(json, StandardCharsets.UTF_8);
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

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
