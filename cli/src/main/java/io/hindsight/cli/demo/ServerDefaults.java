package io.hindsight.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * The one default of a real API server that the simulated one fills in, because the demo's
 * manifests and checks rely on it: {@code spec.replicas} of the scalable workloads is 1 when left
 * out (as kube-apiserver's defaulting sets it). Every other default (strategy, revision history,
 * Service type and protocols, container pull policy, ...) stays missing in the simulation.
 */
final class ServerDefaults {
  private static final Set<String> SCALABLE =
      Set.of(
          "apps/Deployment",
          "apps/ReplicaSet",
          "apps/StatefulSet",
          "extensions/Deployment",
          "extensions/ReplicaSet",
          "/ReplicationController");

  private ServerDefaults() {}

  /** Fills the defaults into {@code object} (changed in place); returns whether it changed. */
  static boolean apply(JsonNode object) {
    if (!(object instanceof ObjectNode o) || !(o.get("spec") instanceof ObjectNode spec)) {
      return false;
    }
    String apiVersion = o.path("apiVersion").asText();
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    if (SCALABLE.contains(group + "/" + o.path("kind").asText()) && !spec.has("replicas")) {
      spec.put("replicas", 1);
      return true;
    }
    return false;
  }
}
