package io.hindsight.restorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hindsight.history.ObjectId;

/**
 * One object on its way through the pipeline: {@code source} is its identity in history (at T),
 * {@code object} its JSON, changed in place by the sanitize and transform stages.
 */
record RestoreObject(ObjectId source, ObjectNode object) {

  String apiVersion() {
    return object.path("apiVersion").asText();
  }

  String kind() {
    return object.path("kind").asText();
  }

  KindRef kindRef() {
    return KindRef.of(apiVersion(), kind());
  }

  String name() {
    return object.path("metadata").path("name").asText();
  }

  /** The namespace the object goes to ("" for cluster-scoped). */
  String namespace() {
    return object.path("metadata").path("namespace").asText("");
  }

  ObjectNode metadata() {
    JsonNode meta = object.get("metadata");
    return meta instanceof ObjectNode node ? node : object.putObject("metadata");
  }

  /** {@code Kind.group namespace/name} of where it goes. */
  String target() {
    String ns = namespace();
    return kindRef() + " " + (ns.isEmpty() ? name() : ns + "/" + name());
  }
}
