package io.hindsight.restorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.hindsight.history.ObjectId;
import io.hindsight.history.Selection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --prune}: deletes the live objects of the target namespace that did not exist at T, within
 * the selection only. Never: the namespace itself or anything cluster-scoped, objects with a
 * controller (their owner's lifecycle decides), what the never-restore rules name (they are the
 * cluster's own), the {@code default} ServiceAccount.
 */
final class Pruner {
  private final KubernetesClient client;
  private final TargetResources target;
  private final LiveObjects live;
  private final NeverRestoreRules rules;
  private final boolean dryRun;

  Pruner(
      KubernetesClient client,
      TargetResources target,
      LiveObjects live,
      NeverRestoreRules rules,
      boolean dryRun) {
    this.client = client;
    this.target = target;
    this.live = live;
    this.rules = rules;
    this.dryRun = dryRun;
  }

  /**
   * @param existedAtT {@code Kind/name} of every object of the namespace at T (before any filter),
   *     the group left out: one object can be served by two groups (Ingress)
   */
  List<ObjectResult> prune(
      String namespace, Selection selection, Set<String> existedAtT, Warnings warnings) {
    List<ObjectResult> results = new ArrayList<>();
    Set<String> servicesWithSelector = new HashSet<>();
    List<ServedResource> types =
        target.all().stream()
            .filter(t -> t.namespaced() && t.listable())
            .filter(t -> selection.matchesKind(t.kind().kind(), t.kind().group()))
            .filter(t -> !rules.excludesWholeKind(t.kind()))
            .toList();
    Map<ServedResource, Map<String, GenericKubernetesResource>> listed = new HashMap<>();
    for (ServedResource type : types) {
      try {
        live.forget(type, namespace); // the apply stage changed it
        listed.put(type, live.list(type, namespace));
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404 && e.getCode() != 405 && e.getCode() != 403) {
          warnings.add(type.kind().toString(), "cannot list for pruning: " + Applier.reason(e));
        }
      }
    }
    listed.forEach(
        (type, objects) -> {
          if (type.kind().matches(new KindRef("", "Service"))) {
            objects
                .values()
                .forEach(
                    s -> {
                      if (s.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                          && spec.get("selector") instanceof Map<?, ?> sel
                          && !sel.isEmpty()) {
                        servicesWithSelector.add(namespace + "/" + s.getMetadata().getName());
                      }
                    });
          }
        });
    for (var entry : listed.entrySet()) {
      ServedResource type = entry.getKey();
      for (GenericKubernetesResource object : entry.getValue().values()) {
        String name = object.getMetadata().getName();
        if (existedAtT.contains(type.kind().kind() + "/" + name)) {
          continue;
        }
        ObjectNode tree = JsonTrees.JSON.valueToTree(object);
        RestoreObject item =
            new RestoreObject(
                new ObjectId("", type.kind().group(), type.kind().kind(), namespace, name), tree);
        if (!prunable(item, selection, servicesWithSelector)) {
          continue;
        }
        try {
          var op =
              client
                  .genericKubernetesResources(type.context(type.versions().get(0)))
                  .inNamespace(namespace)
                  .withName(name);
          if (dryRun) {
            op.dryRun().delete();
          } else {
            op.withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
          }
          results.add(ObjectResult.of(item, Outcome.DELETED, "did not exist at T (--prune)"));
        } catch (KubernetesClientException e) {
          results.add(ObjectResult.of(item, Outcome.FAILED, "prune: " + Applier.reason(e)));
        }
      }
    }
    return results;
  }

  private boolean prunable(
      RestoreObject item, Selection selection, Set<String> servicesWithSelector) {
    JsonNode meta = item.object().path("metadata");
    for (JsonNode ref : meta.path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) {
        return false;
      }
    }
    if (item.kindRef().matches(new KindRef("", "ServiceAccount"))
        && item.name().equals("default")) {
      return false;
    }
    Map<String, String> labels = new HashMap<>();
    meta.path("labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return (selection.names().isEmpty() || selection.names().contains(item.name()))
        && selection.labels().matches(labels)
        && rules.reason(item, servicesWithSelector).isEmpty();
  }
}
