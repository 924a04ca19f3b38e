package io.hindsight.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceFilterTest {
  private static final ResourceType CONFIGMAPS =
      new ResourceType("", "v1", "ConfigMap", "configmaps", true);
  private static final ResourceType EVENTS = new ResourceType("", "v1", "Event", "events", true);
  private static final ResourceType NEW_EVENTS =
      new ResourceType("events.k8s.io", "v1", "Event", "events", true);
  private static final ResourceType LEASES =
      new ResourceType("coordination.k8s.io", "v1", "Lease", "leases", true);
  private static final ResourceType DEPLOYMENTS =
      new ResourceType("apps", "v1", "Deployment", "deployments", true);

  private static ResourceFilter filter(Map<String, String> values) {
    return ResourceFilter.of(new WatcherConfig(values));
  }

  @Test
  void eventsAndLeasesAreExcludedByDefault() {
    ResourceFilter filter = filter(Map.of());
    assertThat(filter.records(CONFIGMAPS)).isTrue();
    assertThat(filter.records(DEPLOYMENTS)).isTrue();
    assertThat(filter.records(EVENTS)).isFalse();
    assertThat(filter.records(NEW_EVENTS)).isFalse();
    assertThat(filter.records(LEASES)).isFalse();
  }

  @Test
  void typesAreNamedAsKubectlNamesThem() {
    ResourceFilter filter =
        filter(
            Map.of(
                WatcherConfig.KINDS_INCLUDE,
                "Deployment.apps, configmaps",
                WatcherConfig.KINDS_EXCLUDE,
                ""));
    assertThat(filter.records(DEPLOYMENTS)).isTrue();
    assertThat(filter.records(CONFIGMAPS)).isTrue();
    assertThat(filter.records(EVENTS)).isFalse();
    assertThat(filter(Map.of(WatcherConfig.KINDS_EXCLUDE, "deployments.apps")).records(DEPLOYMENTS))
        .isFalse();
    assertThat(
            filter(Map.of(WatcherConfig.KINDS_EXCLUDE, "deployments.other")).records(DEPLOYMENTS))
        .isTrue();
  }

  @Test
  void namespacesAreIncludedAndExcludedButClusterScopedObjectsAlwaysRecorded() {
    ResourceFilter only = filter(Map.of(WatcherConfig.NAMESPACES_INCLUDE, "shop,db"));
    assertThat(only.records("shop")).isTrue();
    assertThat(only.records("kube-system")).isFalse();
    assertThat(only.records("")).isTrue();
    ResourceFilter except = filter(Map.of(WatcherConfig.NAMESPACES_EXCLUDE, "kube-system"));
    assertThat(except.records("shop")).isTrue();
    assertThat(except.records("kube-system")).isFalse();
  }
}
