package io.hindsight.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Whether a workload was fully available, from the status its controller recorded — the same
 * questions {@code kubectl rollout status} asks: the controller has seen the current spec ({@code
 * status.observedGeneration >= metadata.generation}) and every wanted replica is of the current
 * template and available (Deployments, ReplicaSets and ReplicationControllers that no controller
 * owns), ready (StatefulSets) or available on every node it should run on (DaemonSets). Bare Pods
 * count when Running and Ready or Succeeded. Other kinds, and workloads a controller owns (that
 * controller speaks for them), are not workloads here.
 */
public final class Availability {
  /** The verdict and, when not available, why. */
  public record Verdict(boolean available, String reason) {}

  private Availability() {}

  /** Empty when {@code object} is not a workload this rule judges. */
  public static Optional<Verdict> of(String kind, JsonNode object) {
    if (ownedByController(object)) {
      return Optional.empty();
    }
    JsonNode status = object.path("status");
    return switch (kind) {
      case "Deployment" -> Optional.of(deployment(object, status));
      case "StatefulSet" -> Optional.of(statefulSet(object, status));
      case "DaemonSet" -> Optional.of(daemonSet(object, status));
      case "ReplicaSet", "ReplicationController" -> Optional.of(replicaSet(object, status));
      case "Pod" -> Optional.of(pod(status));
      default -> Optional.empty();
    };
  }

  private static boolean ownedByController(JsonNode object) {
    for (JsonNode owner : object.path("metadata").path("ownerReferences")) {
      if (owner.path("controller").asBoolean(false)) {
        return true;
      }
    }
    return false;
  }

  private static Verdict observed(JsonNode object, JsonNode status) {
    if (status.isMissingNode() || status.isEmpty()) {
      return new Verdict(false, "no status recorded yet");
    }
    long generation = object.path("metadata").path("generation").asLong(0);
    long observed = status.path("observedGeneration").asLong(0);
    if (observed < generation) {
      return new Verdict(
          false,
          "controller has not seen generation " + generation + " yet (observed " + observed + ")");
    }
    return null;
  }

  private static long wanted(JsonNode object) {
    JsonNode replicas = object.path("spec").path("replicas");
    return replicas.isMissingNode() || replicas.isNull() ? 1 : replicas.asLong();
  }

  private static Verdict deployment(JsonNode object, JsonNode status) {
    Verdict notSeen = observed(object, status);
    if (notSeen != null) {
      return notSeen;
    }
    long wanted = wanted(object);
    long updated = status.path("updatedReplicas").asLong(0);
    long available = status.path("availableReplicas").asLong(0);
    long total = status.path("replicas").asLong(0);
    if (updated < wanted) {
      return new Verdict(false, updated + " of " + wanted + " replicas updated");
    }
    if (total > updated) {
      return new Verdict(false, (total - updated) + " old replicas pending termination");
    }
    if (available < wanted) {
      return new Verdict(false, available + " of " + wanted + " replicas available");
    }
    return new Verdict(true, wanted + " of " + wanted + " replicas available");
  }

  private static Verdict statefulSet(JsonNode object, JsonNode status) {
    Verdict notSeen = observed(object, status);
    if (notSeen != null) {
      return notSeen;
    }
    long wanted = wanted(object);
    long ready = status.path("readyReplicas").asLong(0);
    long total = status.path("replicas").asLong(0);
    String current = status.path("currentRevision").asText("");
    String update = status.path("updateRevision").asText("");
    if (!update.isEmpty() && !current.equals(update)) {
      return new Verdict(false, "rolling update to " + update + " in progress");
    }
    if (total != wanted) {
      return new Verdict(false, total + " of " + wanted + " replicas created");
    }
    if (ready < wanted) {
      return new Verdict(false, ready + " of " + wanted + " replicas ready");
    }
    return new Verdict(true, wanted + " of " + wanted + " replicas ready");
  }

  private static Verdict daemonSet(JsonNode object, JsonNode status) {
    Verdict notSeen = observed(object, status);
    if (notSeen != null) {
      return notSeen;
    }
    long desired = status.path("desiredNumberScheduled").asLong(0);
    long updated = status.path("updatedNumberScheduled").asLong(0);
    long available = status.path("numberAvailable").asLong(0);
    if (updated < desired) {
      return new Verdict(false, updated + " of " + desired + " nodes updated");
    }
    if (available < desired) {
      return new Verdict(false, available + " of " + desired + " nodes available");
    }
    return new Verdict(true, desired + " of " + desired + " nodes available");
  }

  private static Verdict replicaSet(JsonNode object, JsonNode status) {
    Verdict notSeen = observed(object, status);
    if (notSeen != null) {
      return notSeen;
    }
    long wanted = wanted(object);
    long available = status.path("availableReplicas").asLong(0);
    if (available < wanted) {
      return new Verdict(false, available + " of " + wanted + " replicas available");
    }
    return new Verdict(true, wanted + " of " + wanted + " replicas available");
  }

  private static Verdict pod(JsonNode status) {
    String phase = status.path("phase").asText("Pending");
    if (phase.equals("Succeeded")) {
      return new Verdict(true, "succeeded");
    }
    if (!phase.equals("Running")) {
      return new Verdict(false, "phase " + phase);
    }
    for (JsonNode condition : status.path("conditions")) {
      if (condition.path("type").asText().equals("Ready")) {
        boolean ready = condition.path("status").asText().equals("True");
        return new Verdict(ready, ready ? "running and ready" : "running, not ready");
      }
    }
    return new Verdict(false, "running, not ready");
  }
}
