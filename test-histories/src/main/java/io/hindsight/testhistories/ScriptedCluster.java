package io.hindsight.testhistories;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.EventType;
import io.hindsight.schemas.avro.Origin;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A pretend API server for scripts: keeps the live objects and turns each scripted action into the
 * object JSON a 1.20 API server would serve (uid, resourceVersion, generation for kinds that have
 * one, creationTimestamp, managedFields with manager, operation and time, deletionTimestamp on the
 * final state) and the change envelope the watcher would publish. Records each action as a {@link
 * Step}.
 */
public final class ScriptedCluster {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> WITH_GENERATION =
      Set.of("Deployment", "StatefulSet", "DaemonSet", "CustomResourceDefinition", "Foo");

  private final String cluster;
  private final List<Step> steps = new ArrayList<>();
  private final List<ChangeEnvelope> envelopes = new ArrayList<>();
  private final Map<String, ObjectNode> live = new TreeMap<>();
  private final Map<String, Integer> incarnations = new HashMap<>();
  private long resourceVersion = 1000;

  public ScriptedCluster(String cluster) {
    this.cluster = cluster;
  }

  public List<Step> steps() {
    return List.copyOf(steps);
  }

  public List<ChangeEnvelope> envelopes() {
    return List.copyOf(envelopes);
  }

  private static String key(String namespace, String kind, String name) {
    return namespace + "/" + kind + "/" + name;
  }

  /** The live object, for scripts that read a value before changing it. */
  public ObjectNode get(String namespace, String kind, String name) {
    ObjectNode object = live.get(key(namespace, kind, name));
    if (object == null) {
      throw new IllegalStateException("script error: no live " + key(namespace, kind, name));
    }
    return object;
  }

  /** Creates {@code manifest} (a copy) in {@code namespace} ("" for cluster-scoped kinds). */
  public void create(Instant at, String namespace, ObjectNode manifest, String manager) {
    ObjectNode object = manifest.deepCopy();
    String kind = object.get("kind").asText();
    ObjectNode meta = (ObjectNode) object.get("metadata");
    String name = meta.get("name").asText();
    String key = key(namespace, kind, name);
    if (live.containsKey(key)) {
      throw new IllegalStateException("script error: " + key + " exists");
    }
    int incarnation = incarnations.merge(key, 1, Integer::sum);
    if (namespace.isEmpty()) {
      meta.remove("namespace");
    } else {
      meta.put("namespace", namespace);
    }
    meta.put(
        "uid",
        UUID.nameUUIDFromBytes((cluster + "/" + key + "#" + incarnation).getBytes()).toString());
    meta.put("creationTimestamp", at.toString());
    if (WITH_GENERATION.contains(kind)) {
      meta.put("generation", 1);
    }
    meta.putArray("managedFields");
    touch(meta, manager, "Update", at, fields("f:metadata", "f:spec"));
    live.put(key, object);
    JsonNode image = object.at("/spec/template/spec/containers/0/image");
    record(
        at,
        Step.Action.CREATE,
        namespace,
        object,
        manager,
        EventType.ADDED,
        kind.equals("Deployment") && !image.isMissingNode() ? image.asText() : null,
        WORKLOADS.contains(kind) ? Boolean.FALSE : null,
        "created");
  }

  /**
   * A change of spec or metadata by {@code manager}; {@code specChange} bumps the generation of
   * kinds that have one, as the API server does for spec changes only. {@code image}: the first
   * container's image the change sets, if it sets one; {@code available}: whether the workload is
   * still fully available after it (null for other kinds).
   */
  public void update(
      Instant at,
      String namespace,
      String kind,
      String name,
      String manager,
      boolean specChange,
      String image,
      Boolean available,
      String note,
      Consumer<ObjectNode> change) {
    ObjectNode object = get(namespace, kind, name);
    change.accept(object);
    ObjectNode meta = (ObjectNode) object.get("metadata");
    if (specChange && meta.has("generation")) {
      meta.put("generation", meta.get("generation").asLong() + 1);
    }
    touch(meta, manager, "Update", at, fields(specChange ? "f:spec" : "f:metadata"));
    record(
        at,
        Step.Action.UPDATE,
        namespace,
        object,
        manager,
        EventType.MODIFIED,
        image,
        available,
        note);
  }

  /**
   * A controller writing status; the generation stays (status is a subresource). {@code available}:
   * whether the script means the workload to be fully available after it.
   */
  public void status(
      Instant at,
      String namespace,
      String kind,
      String name,
      String manager,
      Boolean available,
      String note,
      Consumer<ObjectNode> status) {
    ObjectNode object = get(namespace, kind, name);
    ObjectNode node =
        object.get("status") instanceof ObjectNode existing ? existing : object.putObject("status");
    status.accept(node);
    touch((ObjectNode) object.get("metadata"), manager, "Update", at, fields("f:status"));
    record(
        at,
        Step.Action.STATUS,
        namespace,
        object,
        manager,
        EventType.MODIFIED,
        null,
        available,
        note);
  }

  /** Deletes the object; the watcher records its final state, marked for deletion. */
  public void delete(Instant at, String namespace, String kind, String name) {
    ObjectNode object = get(namespace, kind, name);
    ObjectNode meta = (ObjectNode) object.get("metadata");
    meta.put("deletionTimestamp", at.toString());
    meta.put("deletionGracePeriodSeconds", 0);
    record(
        at, Step.Action.DELETE, namespace, object, null, EventType.DELETED, null, null, "deleted");
    live.remove(key(namespace, kind, name));
  }

  private static ObjectNode fields(String... top) {
    ObjectNode fields = JSON.createObjectNode();
    for (String f : top) {
      fields.putObject(f);
    }
    return fields;
  }

  private static void touch(
      ObjectNode meta, String manager, String operation, Instant at, ObjectNode fields) {
    ArrayNode managed = (ArrayNode) meta.get("managedFields");
    for (JsonNode entry : managed) {
      if (entry.get("manager").asText().equals(manager)
          && entry.get("operation").asText().equals(operation)) {
        ((ObjectNode) entry).put("time", at.toString());
        ((ObjectNode) entry.get("fieldsV1")).setAll(fields);
        return;
      }
    }
    ObjectNode entry = managed.addObject();
    entry.put("manager", manager);
    entry.put("operation", operation);
    entry.put("apiVersion", "v1");
    entry.put("time", at.toString());
    entry.put("fieldsType", "FieldsV1");
    entry.set("fieldsV1", fields);
  }

  private void record(
      Instant at,
      Step.Action action,
      String namespace,
      ObjectNode object,
      String manager,
      EventType type,
      String image,
      Boolean available,
      String note) {
    if (!steps.isEmpty() && at.isBefore(steps.get(steps.size() - 1).at())) {
      throw new IllegalStateException("script error: " + at + " goes back in time");
    }
    ObjectNode meta = (ObjectNode) object.get("metadata");
    meta.put("resourceVersion", String.valueOf(++resourceVersion));
    String json = object.toString();
    String kind = object.get("kind").asText();
    String apiVersion = object.get("apiVersion").asText();
    String name = meta.get("name").asText();
    steps.add(
        new Step(
            at,
            action,
            namespace,
            apiVersion,
            kind,
            name,
            meta.get("uid").asText(),
            meta.get("resourceVersion").asText(),
            manager,
            manager == null ? null : "Update",
            image,
            available,
            note));
    Map<String, String> labels = new TreeMap<>();
    if (meta.get("labels") instanceof ObjectNode l) {
      l.fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
    }
    envelopes.add(
        ChangeEnvelope.newBuilder()
            .setEventType(type)
            .setOrigin(Origin.WATCH)
            .setCluster(cluster)
            .setApiVersion(apiVersion)
            .setKind(kind)
            .setNamespace(namespace)
            .setName(name)
            .setUid(meta.get("uid").asText())
            .setResourceVersion(meta.get("resourceVersion").asText())
            .setGeneration(meta.has("generation") ? meta.get("generation").asLong() : null)
            .setObservedAt(at)
            .setObject(json)
            .setObjectHash(sha256(json))
            .setLabels(labels)
            .setDeletedFinalStateUnknown(false)
            .setSealKeyId(null)
            .setWatcherRunId("script")
            .build());
  }

  static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet");

  private static String sha256(String json) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
