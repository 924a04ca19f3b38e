package io.hindsight.watcher;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** One served resource type, at the version the API server prefers. */
record ResourceType(String group, String version, String kind, String plural, boolean namespaced) {

  String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** {@code group/version/plural}, e.g. {@code apps/v1/deployments} or {@code /v1/configmaps}. */
  String id() {
    return group + "/" + version + "/" + plural;
  }

  ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(namespaced)
        .build();
  }

  @Override
  public String toString() {
    return id();
  }
}
