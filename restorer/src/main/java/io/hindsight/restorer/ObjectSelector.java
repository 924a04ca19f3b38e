package io.hindsight.restorer;

import com.fasterxml.jackson.databind.JsonNode;
import io.hindsight.history.Selection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The select stage: from the recorded objects of the namespace (and the cluster-scoped ones), keeps
 * what the user selected and what may be restored at all:
 *
 * <ol>
 *   <li>cluster-scoped objects only when related to the namespace: the Namespace itself, CRDs of
 *       its custom resources, PersistentVolumes claimed from it, ClusterRoleBindings with a subject
 *       in it and the ClusterRoles they bind;
 *   <li>the user's selection (kinds, label selector, names);
 *   <li>the never-restore rules ({@link NeverRestoreRules});
 *   <li>desired state: an object whose controller (owner reference with {@code controller: true})
 *       is itself restored, or left to its own controller, is left for that controller to recreate
 *       (Pods of ReplicaSets of Deployments, ReplicaSets, Jobs of CronJobs, ControllerRevisions),
 *       unless {@code includeOwned}.
 * </ol>
 */
final class ObjectSelector {
  static final KindRef CRD = new KindRef("apiextensions.k8s.io", "CustomResourceDefinition");

  /** What the stage keeps, and what it leaves out with the reason. */
  record Selected(List<RestoreObject> kept, List<ObjectResult> skipped) {}

  private final Selection selection;
  private final NeverRestoreRules rules;
  private final boolean includeOwned;

  ObjectSelector(Selection selection, NeverRestoreRules rules, boolean includeOwned) {
    this.selection = selection;
    this.rules = rules;
    this.includeOwned = includeOwned;
  }

  /**
   * @param namespaced the recorded objects of the namespace
   * @param clusterScoped the recorded cluster-scoped objects (empty when not asked for)
   */
  Selected select(
      String namespace, List<RestoreObject> namespaced, List<RestoreObject> clusterScoped) {
    List<RestoreObject> candidates = new ArrayList<>(namespaced);
    candidates.addAll(related(namespace, namespaced, clusterScoped));
    List<ObjectResult> skipped = new ArrayList<>();
    Set<String> servicesWithSelector = new HashSet<>();
    for (RestoreObject o : candidates) {
      if (o.kindRef().matches(new KindRef("", "Service"))
          && o.object().path("spec").path("selector").size() > 0) {
        servicesWithSelector.add(o.namespace() + "/" + o.name());
      }
    }
    List<RestoreObject> selected = new ArrayList<>();
    for (RestoreObject o : candidates) {
      if (!selected(o)) {
        continue; // outside the selection: not reported
      }
      Optional<String> never = rules.reason(o, servicesWithSelector);
      if (never.isPresent()) {
        skipped.add(ObjectResult.of(o, Outcome.SKIPPED, never.get()));
      } else {
        selected.add(o);
      }
    }
    if (includeOwned) {
      return new Selected(selected, skipped);
    }
    Map<String, RestoreObject> byUid = new HashMap<>();
    selected.forEach(o -> byUid.put(o.object().path("metadata").path("uid").asText(), o));
    List<RestoreObject> kept = new ArrayList<>();
    for (RestoreObject o : selected) {
      Optional<RestoreObject> owner = controller(o, byUid);
      if (owner.isPresent()) {
        skipped.add(
            ObjectResult.of(
                o,
                Outcome.SKIPPED,
                "left to its controller "
                    + owner.get().kindRef()
                    + " "
                    + owner.get().name()
                    + " (restored, or itself recreated by its own controller)"));
      } else {
        kept.add(o);
      }
    }
    return new Selected(kept, skipped);
  }

  private boolean selected(RestoreObject o) {
    var labels = new HashMap<String, String>();
    o.object()
        .path("metadata")
        .path("labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return selection.matchesKind(o.kindRef().kind(), o.kindRef().group())
        && (selection.names().isEmpty() || selection.names().contains(o.name()))
        && selection.labels().matches(labels);
  }

  /** The restored controller of {@code o}, directly or through owners left to their controllers. */
  private static Optional<RestoreObject> controller(
      RestoreObject o, Map<String, RestoreObject> byUid) {
    for (JsonNode ref : o.object().path("metadata").path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) {
        RestoreObject owner = byUid.get(ref.path("uid").asText());
        if (owner != null && owner != o) {
          return Optional.of(owner);
        }
      }
    }
    return Optional.empty();
  }

  /** The cluster-scoped objects that belong with the namespace. */
  static List<RestoreObject> related(
      String namespace, List<RestoreObject> namespaced, List<RestoreObject> clusterScoped) {
    Set<String> kinds = new HashSet<>();
    Set<String> claims = new HashSet<>();
    Set<String> clusterRoles = new HashSet<>();
    for (RestoreObject o : namespaced) {
      kinds.add(o.kindRef().lowerKey());
      if (o.kindRef().matches(new KindRef("", "PersistentVolumeClaim"))) {
        claims.add(o.name());
      }
      if (o.kindRef().matches(new KindRef("rbac.authorization.k8s.io", "RoleBinding"))
          && "ClusterRole".equals(o.object().path("roleRef").path("kind").asText())) {
        clusterRoles.add(o.object().path("roleRef").path("name").asText());
      }
    }
    List<RestoreObject> related = new ArrayList<>();
    for (RestoreObject o : clusterScoped) {
      KindRef kind = o.kindRef();
      JsonNode object = o.object();
      boolean keep = false;
      if (kind.matches(new KindRef("", "Namespace"))) {
        keep = o.name().equals(namespace);
      } else if (kind.matches(CRD)) {
        JsonNode spec = object.path("spec");
        keep =
            kinds.contains(
                new KindRef(spec.path("group").asText(), spec.path("names").path("kind").asText())
                    .lowerKey());
      } else if (kind.matches(new KindRef("", "PersistentVolume"))) {
        JsonNode claim = object.path("spec").path("claimRef");
        keep =
            namespace.equals(claim.path("namespace").asText())
                && claims.contains(claim.path("name").asText());
      } else if (kind.matches(new KindRef("rbac.authorization.k8s.io", "ClusterRoleBinding"))) {
        for (JsonNode subject : object.path("subjects")) {
          String name = subject.path("name").asText();
          if (namespace.equals(subject.path("namespace").asText())
              || name.startsWith("system:serviceaccount:" + namespace + ":")
              || name.equals("system:serviceaccounts:" + namespace)) {
            keep = true;
            clusterRoles.add(object.path("roleRef").path("name").asText());
          }
        }
      }
      if (keep) {
        related.add(o);
      }
    }
    for (RestoreObject o : clusterScoped) {
      if (o.kindRef().matches(new KindRef("rbac.authorization.k8s.io", "ClusterRole"))
          && clusterRoles.contains(o.name())) {
        related.add(o);
      }
    }
    return related;
  }
}
