package io.hindsight.restorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * The sanitize stage: takes out of a recorded object what belongs to the cluster it lived in rather
 * than to the user's intent, so the target server can accept it and assign its own values — as
 * Velero's restore does. Per object, in place; see DESIGN.md for each rule and why.
 *
 * <p>Owner references are not handled here but when applying (they need the target's uids).
 */
final class Sanitizer {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  /**
   * Server-assigned metadata: identity, versions, timestamps and bookkeeping of the old cluster.
   */
  static final List<String> METADATA_FIELDS =
      List.of(
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "managedFields",
          "selfLink");

  /** Annotations that controllers of the old cluster wrote; the new cluster writes its own. */
  static final List<String> CONTROLLER_ANNOTATIONS =
      List.of(
          "deployment.kubernetes.io/revision",
          "pv.kubernetes.io/bind-completed",
          "pv.kubernetes.io/bound-by-controller",
          "pv.kubernetes.io/provisioned-by",
          "volume.kubernetes.io/selected-node",
          "volume.beta.kubernetes.io/storage-provisioner",
          "volume.kubernetes.io/storage-provisioner");

  private final Set<String> restoredVolumes;
  private final boolean preserveNodePorts;

  /**
   * @param restoredVolumes names of the PersistentVolumes restored with this run (PVCs bound to one
   *     keep their {@code volumeName})
   * @param preserveNodePorts keep every Service nodePort, not only those the user set
   */
  Sanitizer(Set<String> restoredVolumes, boolean preserveNodePorts) {
    this.restoredVolumes = Set.copyOf(restoredVolumes);
    this.preserveNodePorts = preserveNodePorts;
  }

  void sanitize(RestoreObject item) {
    ObjectNode object = item.object();
    ObjectNode meta = item.metadata();
    METADATA_FIELDS.forEach(meta::remove);
    ObjectNode annotations = JsonTrees.object(meta, "annotations");
    if (annotations != null) {
      CONTROLLER_ANNOTATIONS.forEach(annotations::remove);
      if (annotations.isEmpty()) {
        meta.remove("annotations");
      }
    }
    object.remove("status");
    KindRef kind = item.kindRef();
    if (kind.group().isEmpty()) {
      switch (kind.kind()) {
        case "Service" -> service(object, lastApplied(meta));
        case "Pod" -> pod(object);
        case "PersistentVolume" -> persistentVolume(object);
        case "PersistentVolumeClaim" -> persistentVolumeClaim(object);
        case "ServiceAccount" -> serviceAccount(object, item.name());
        default -> {}
      }
    } else if (kind.group().equals("batch") && kind.kind().equals("Job")) {
      job(object);
    }
    for (ObjectNode spec : JsonTrees.podSpecs(object)) {
      if (!kind.kind().equals("Pod")) {
        removeTokenVolumes(spec); // templates never carry them unless copied from a Pod
      }
    }
  }

  /** The last-applied configuration of kubectl, or an empty object. */
  private static JsonNode lastApplied(ObjectNode meta) {
    JsonNode text = meta.path("annotations").path(LAST_APPLIED);
    if (!text.isTextual()) {
      return JsonTrees.JSON.createObjectNode();
    }
    try {
      return JsonTrees.JSON.readTree(text.asText());
    } catch (Exception e) {
      return JsonTrees.JSON.createObjectNode();
    }
  }

  private void service(ObjectNode service, JsonNode lastApplied) {
    ObjectNode spec = JsonTrees.object(service, "spec");
    if (spec == null) {
      return;
    }
    // headless Services keep "None": it is the user's choice, not an assignment
    if (!"None".equals(spec.path("clusterIP").asText())) {
      spec.remove("clusterIP");
      spec.remove("clusterIPs");
    } else if (spec.path("clusterIPs").size() > 0) {
      spec.remove("clusterIPs");
    }
    JsonNode appliedSpec = lastApplied.path("spec");
    if (!preserveNodePorts && !appliedSpec.has("healthCheckNodePort")) {
      spec.remove("healthCheckNodePort");
    }
    JsonNode appliedPorts = appliedSpec.path("ports");
    JsonTrees.forEachObject(
        spec,
        port -> {
          if (port.has("nodePort") && !preserveNodePorts && !userSetNodePort(port, appliedPorts)) {
            port.remove("nodePort");
          }
        },
        "ports");
  }

  /** Whether the last-applied configuration names a nodePort for this port (by name or number). */
  private static boolean userSetNodePort(ObjectNode port, JsonNode appliedPorts) {
    for (JsonNode applied : appliedPorts) {
      boolean same =
          port.has("name") && applied.has("name")
              ? port.path("name").asText().equals(applied.path("name").asText())
              : port.path("port").asInt() == applied.path("port").asInt();
      if (same && applied.has("nodePort")) {
        return true;
      }
    }
    return false;
  }

  private static void pod(ObjectNode pod) {
    ObjectNode spec = JsonTrees.object(pod, "spec");
    if (spec != null) {
      spec.remove("nodeName");
      removeTokenVolumes(spec);
    }
  }

  /**
   * Removes the service-account token volumes the ServiceAccount admission plugin injected ({@code
   * <sa>-token-xxxxx} Secrets up to 1.21, {@code kube-api-access-xxxxx} projections later) and
   * their mounts: the target cluster injects its own.
   */
  private static void removeTokenVolumes(ObjectNode spec) {
    ArrayNode volumes = JsonTrees.array(spec, "volumes");
    if (volumes == null) {
      return;
    }
    String account = spec.path("serviceAccountName").asText(spec.path("serviceAccount").asText());
    String tokenPrefix = (account.isEmpty() ? "default" : account) + "-token-";
    Set<String> removed = new java.util.HashSet<>();
    for (int i = volumes.size() - 1; i >= 0; i--) {
      JsonNode volume = volumes.get(i);
      String name = volume.path("name").asText();
      boolean token =
          volume.path("secret").path("secretName").asText().startsWith(tokenPrefix)
              || (name.startsWith("kube-api-access-") && volume.has("projected"));
      if (token) {
        removed.add(name);
        volumes.remove(i);
      }
    }
    if (volumes.isEmpty()) {
      spec.remove("volumes");
    }
    if (removed.isEmpty()) {
      return;
    }
    for (ObjectNode container : JsonTrees.containers(spec)) {
      ArrayNode mounts = JsonTrees.array(container, "volumeMounts");
      if (mounts != null) {
        for (int i = mounts.size() - 1; i >= 0; i--) {
          if (removed.contains(mounts.get(i).path("name").asText())) {
            mounts.remove(i);
          }
        }
        if (mounts.isEmpty()) {
          container.remove("volumeMounts");
        }
      }
    }
  }

  private static void persistentVolume(ObjectNode volume) {
    ObjectNode claimRef = JsonTrees.object(volume, "spec", "claimRef");
    if (claimRef != null) {
      claimRef.remove("uid");
      claimRef.remove("resourceVersion");
    }
  }

  private void persistentVolumeClaim(ObjectNode claim) {
    ObjectNode spec = JsonTrees.object(claim, "spec");
    if (spec != null && !restoredVolumes.contains(spec.path("volumeName").asText())) {
      spec.remove("volumeName"); // the target provisions (or binds) a volume of its own
    }
  }

  /** Drops the references to the auto-generated token Secrets ({@code <name>-token-xxxxx}). */
  private static void serviceAccount(ObjectNode account, String name) {
    ArrayNode secrets = JsonTrees.array(account, "secrets");
    if (secrets == null) {
      return;
    }
    for (int i = secrets.size() - 1; i >= 0; i--) {
      if (secrets.get(i).path("name").asText().startsWith(name + "-token-")) {
        secrets.remove(i);
      }
    }
    if (secrets.isEmpty()) {
      account.remove("secrets");
    }
  }

  /**
   * Jobs whose selector the server generated ({@code manualSelector} unset) lose it and the {@code
   * controller-uid} labels of their template: they hold the old Job's uid, and the server refuses a
   * Job whose template does not match its own generated selector.
   */
  private static void job(ObjectNode job) {
    ObjectNode spec = JsonTrees.object(job, "spec");
    if (spec == null || spec.path("manualSelector").asBoolean(false)) {
      return;
    }
    spec.remove("selector");
    ObjectNode labels = JsonTrees.object(spec, "template", "metadata", "labels");
    if (labels != null) {
      labels.remove("controller-uid");
      labels.remove("batch.kubernetes.io/controller-uid");
    }
  }
}
