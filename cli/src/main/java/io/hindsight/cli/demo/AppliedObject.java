package io.hindsight.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudPersistence;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

/**
 * What a server-side apply makes of the applied configuration, as the simulated API server answers
 * it: a new object when none exists, else the applied configuration merged into the live object
 * (maps field by field, lists and scalars replaced, {@code null} removes). There is no field
 * ownership: every apply takes every field it names, as with {@code force=true}, and fields an
 * earlier apply set but this one leaves out stay. {@code status} is the server's: never applied.
 */
final class AppliedObject {
  private static final String[] SERVER_METADATA = {
    "uid", "creationTimestamp", "resourceVersion", "generation", "namespace"
  };

  private AppliedObject() {}

  /**
   * The object a create of {@code applied} would store, for a dry run: the server's metadata filled
   * in as the mock's create fills it, without a resourceVersion (nothing was stored).
   */
  static ObjectNode created(ObjectNode applied, String namespace, Instant now) {
    ObjectNode object = forCreate(applied);
    ObjectNode metadata = (ObjectNode) object.get("metadata");
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    metadata.put("uid", UUID.randomUUID().toString());
    metadata.put("creationTimestamp", now.truncatedTo(ChronoUnit.SECONDS).toString());
    metadata.put("generation", 1);
    return object;
  }

  /** The applied configuration as the body of a create: without status or server metadata. */
  static ObjectNode forCreate(ObjectNode applied) {
    ObjectNode object = applied.deepCopy();
    object.remove("status");
    ObjectNode metadata = (ObjectNode) object.get("metadata");
    for (String field : SERVER_METADATA) {
      if (!field.equals("namespace")) {
        metadata.remove(field);
      }
    }
    return object;
  }

  /**
   * {@code applied} merged into {@code live}: what the object becomes. The server's metadata (uid,
   * creationTimestamp, resourceVersion, namespace) and the status stay the live object's; the
   * generation goes up when more than metadata changed.
   */
  static ObjectNode merged(ObjectNode live, ObjectNode applied) {
    ObjectNode object = live.deepCopy();
    ObjectNode config = applied.deepCopy();
    config.remove("status");
    ObjectNode configMetadata = (ObjectNode) config.get("metadata");
    for (String field : SERVER_METADATA) {
      configMetadata.remove(field);
    }
    mergeInto(object, config);
    if (KubernetesCrudPersistence.shouldIncreaseGeneration(live, object)) {
      ((ObjectNode) object.get("metadata"))
          .put("generation", live.path("metadata").path("generation").asLong(0) + 1);
    }
    return object;
  }

  private static void mergeInto(ObjectNode target, ObjectNode patch) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode value = field.getValue();
      JsonNode existing = target.get(field.getKey());
      if (value.isNull()) {
        target.remove(field.getKey());
      } else if (value.isObject() && existing != null && existing.isObject()) {
        mergeInto((ObjectNode) existing, (ObjectNode) value);
      } else {
        target.set(field.getKey(), value);
      }
    }
  }
}
