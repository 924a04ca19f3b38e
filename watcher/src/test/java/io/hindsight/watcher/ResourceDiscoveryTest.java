package io.hindsight.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Discovery when an API group does not answer (an aggregated API without its server, an API server
 * restarting): its types are unknown, not gone — found by the end-to-end suite, where a restarting
 * API server made the watcher record every object of a group as deleted and then created again.
 */
@EnableKubernetesMockClient
class ResourceDiscoveryTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  private static final ResourceType CONFIG_MAPS =
      new ResourceType("", "v1", "ConfigMap", "configmaps", true);
  private static final ResourceType DEPLOYMENTS =
      new ResourceType("apps", "v1", "Deployment", "deployments", true);
  private static final ResourceType PODS_METRICS =
      new ResourceType("metrics.k8s.io", "v1beta1", "PodMetrics", "pods", true);
  private static final ResourceType CRON_JOBS =
      new ResourceType("batch", "v1beta1", "CronJob", "cronjobs", true);

  @Test
  void aGroupThatDoesNotAnswerIsUnknownAndItsTypesAreNotGone() {
    server.expect().get().withPath("/api/v1").andReturn(200, resources("v1", CONFIG_MAPS)).always();
    server
        .expect()
        .get()
        .withPath("/apis")
        .andReturn(
            200,
            new APIGroupListBuilder()
                .addToGroups(group("apps", "v1"), group("metrics.k8s.io", "v1beta1"))
                .addToGroups(group("batch", "v1beta1"))
                .build())
        .always();
    server
        .expect()
        .get()
        .withPath("/apis/apps/v1")
        .andReturn(200, resources("apps/v1", DEPLOYMENTS))
        .always();
    server.expect().get().withPath("/apis/metrics.k8s.io/v1beta1").andReturn(503, "{}").always();
    // batch/v1beta1 is not expected: the mock server answers 404

    try (KubernetesClient noRetries =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(client.getConfiguration())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build()) {
      ResourceDiscovery.Discovered found =
          new ResourceDiscovery(noRetries, ResourceFilter.of(new WatcherConfig(Map.of())))
              .discover();

      assertThat(found.types()).containsExactly(CONFIG_MAPS, DEPLOYMENTS);
      assertThat(found.unanswered()).containsExactlyInAnyOrder("metrics.k8s.io", "batch");
      // of the running informers, only those of a group that answered without them are gone
      ResourceType replicaSets = new ResourceType("apps", "v1", "ReplicaSet", "replicasets", true);
      assertThat(
              found.noLongerServed(
                  List.of(CONFIG_MAPS, DEPLOYMENTS, replicaSets, PODS_METRICS, CRON_JOBS)))
          .containsExactly(replicaSets);
    }
  }

  private static io.fabric8.kubernetes.api.model.APIGroup group(String name, String version) {
    return new APIGroupBuilder()
        .withName(name)
        .withNewPreferredVersion()
        .withGroupVersion(name + "/" + version)
        .withVersion(version)
        .endPreferredVersion()
        .build();
  }

  private static APIResourceList resources(String groupVersion, ResourceType... types) {
    APIResourceListBuilder list = new APIResourceListBuilder().withGroupVersion(groupVersion);
    for (ResourceType t : types) {
      list.addToResources(
          new APIResourceBuilder()
              .withName(t.plural())
              .withKind(t.kind())
              .withNamespaced(t.namespaced())
              .withVerbs("list", "watch", "get")
              .build());
    }
    return list.build();
  }
}
