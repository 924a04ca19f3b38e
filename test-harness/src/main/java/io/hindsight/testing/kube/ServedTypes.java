package io.hindsight.testing.kube;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;

/** The resource types an API server serves, found as the watcher finds them. */
public final class ServedTypes {
  private ServedTypes() {}

  /** Preferred versions of every listable type (core, groups, CRDs), subresources left out. */
  public static List<ResourceDefinitionContext> listable(KubernetesClient client) {
    List<ResourceDefinitionContext> types = new ArrayList<>();
    add(types, client, "", "v1");
    for (APIGroup group : client.getApiGroups().getGroups()) {
      add(types, client, group.getName(), group.getPreferredVersion().getVersion());
    }
    return types;
  }

  private static void add(
      List<ResourceDefinitionContext> types,
      KubernetesClient client,
      String group,
      String version) {
    for (APIResource r :
        client.getApiResources(group.isEmpty() ? version : group + "/" + version).getResources()) {
      if (!r.getName().contains("/") && r.getVerbs().contains("list")) {
        types.add(
            new ResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion(version)
                .withKind(r.getKind())
                .withPlural(r.getName())
                .withNamespaced(r.getNamespaced())
                .build());
      }
    }
  }
}
