package io.hindsight.restorer;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the target API server serves, from its discovery: every kind of every group, with all the
 * versions that serve it (an older server may serve a kind in a beta version only). {@link
 * #refresh()} again after CRDs were created.
 */
final class TargetResources implements ResourceCatalog {
  private final KubernetesClient client;
  private volatile Map<String, ServedResource> byKind = Map.of();

  private TargetResources(KubernetesClient client) {
    this.client = client;
  }

  /** Reads the discovery of {@code client}'s server. */
  static TargetResources discover(KubernetesClient client) {
    TargetResources resources = new TargetResources(client);
    resources.refresh();
    return resources;
  }

  void refresh() {
    Map<String, ServedResource> found = new LinkedHashMap<>();
    collect(found, "", List.of("v1"));
    for (APIGroup group : client.getApiGroups().getGroups()) {
      List<String> versions = new ArrayList<>();
      String preferred =
          group.getPreferredVersion() == null ? null : group.getPreferredVersion().getVersion();
      if (preferred != null) {
        versions.add(preferred);
      }
      for (GroupVersionForDiscovery v : group.getVersions()) {
        if (!versions.contains(v.getVersion())) {
          versions.add(v.getVersion());
        }
      }
      collect(found, group.getName(), versions);
    }
    byKind = Map.copyOf(found);
  }

  private void collect(Map<String, ServedResource> found, String group, List<String> versions) {
    for (String version : versions) {
      APIResourceList list =
          client.getApiResources(group.isEmpty() ? version : group + "/" + version);
      if (list == null) {
        continue;
      }
      for (APIResource r : list.getResources()) {
        if (r.getName().contains("/")) {
          continue; // subresources
        }
        KindRef kind = new KindRef(group, r.getKind());
        String key = kind.lowerKey();
        ServedResource known = found.get(key);
        if (known == null) {
          found.put(
              key,
              new ServedResource(
                  kind,
                  r.getName(),
                  Boolean.TRUE.equals(r.getNamespaced()),
                  List.of(version),
                  r.getShortNames() == null ? List.of() : r.getShortNames(),
                  r.getVerbs() == null ? List.of() : r.getVerbs()));
        } else if (!known.versions().contains(version)) {
          List<String> more = new ArrayList<>(known.versions());
          more.add(version);
          found.put(
              key,
              new ServedResource(
                  known.kind(),
                  known.plural(),
                  known.namespaced(),
                  more,
                  known.shortNames(),
                  known.verbs()));
        }
      }
    }
  }

  @Override
  public Optional<ServedResource> find(KindRef kind) {
    return Optional.ofNullable(byKind.get(kind.lowerKey()));
  }

  @Override
  public List<ServedResource> all() {
    return List.copyOf(byKind.values());
  }
}
