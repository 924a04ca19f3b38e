package io.hindsight.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server-side apply, discovery and refusals of the demo's simulated API server. */
class SimulatedDispatcherTest {
  @TempDir static Path dir;
  static SimulatedApiServer server;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    server = SimulatedApiServer.start(dir);
    client = server.client();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void anApplyCreatesTheObjectWhenItIsAbsent() {
    var configMaps = client.configMaps().inNamespace("create");

    ConfigMap out =
        configMaps
            .resource(configMap("settings", Map.of("a", "1"), Map.of("app", "x")))
            .fieldManager("hindsight")
            .forceConflicts()
            .serverSideApply();

    assertThat(out.getMetadata().getUid()).isNotBlank();
    assertThat(out.getMetadata().getNamespace()).isEqualTo("create");
    assertThat(out.getMetadata().getResourceVersion()).isNotBlank();
    ConfigMap stored = configMaps.withName("settings").get();
    assertThat(stored.getData()).containsExactlyEntriesOf(Map.of("a", "1"));
    assertThat(stored.getMetadata().getUid()).isEqualTo(out.getMetadata().getUid());
  }

  @Test
  void anApplyMergesTheAppliedConfigurationIntoTheLiveObject() {
    var configMaps = client.configMaps().inNamespace("merge");
    ConfigMap first =
        configMaps.resource(configMap("settings", Map.of("a", "1"), Map.of())).create();

    ConfigMap out =
        configMaps
            .resource(configMap("settings", Map.of("b", "2"), Map.of("app", "x")))
            .fieldManager("hindsight")
            .forceConflicts()
            .serverSideApply();

    assertThat(out.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));
    assertThat(out.getMetadata().getLabels()).containsEntry("app", "x");
    assertThat(out.getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());
    assertThat(out.getMetadata().getResourceVersion())
        .isNotEqualTo(first.getMetadata().getResourceVersion());
    assertThat(configMaps.withName("settings").get().getData())
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));
  }

  @Test
  void listsAreReplacedAndTheGenerationGoesUpWhenTheSpecChanges() {
    var deployments = client.apps().deployments().inNamespace("lists");
    Deployment first = deployments.resource(deployment("web", "nginx:1", "sidecar:1")).create();

    Deployment out =
        deployments
            .resource(deployment("web", "nginx:2"))
            .fieldManager("hindsight")
            .forceConflicts()
            .serverSideApply();

    assertThat(out.getSpec().getTemplate().getSpec().getContainers())
        .extracting(c -> c.getImage())
        .containsExactly("nginx:2");
    assertThat(out.getMetadata().getGeneration())
        .isEqualTo(first.getMetadata().getGeneration() + 1);
  }

  @Test
  void aDryRunApplyAnswersWithoutStoring() {
    var configMaps = client.configMaps().inNamespace("dry");

    ConfigMap wouldCreate =
        configMaps
            .resource(configMap("absent", Map.of("a", "1"), Map.of()))
            .dryRun()
            .fieldManager("hindsight")
            .forceConflicts()
            .serverSideApply();
    assertThat(wouldCreate.getData()).containsEntry("a", "1");
    assertThat(wouldCreate.getMetadata().getUid()).isNotBlank();
    assertThat(configMaps.withName("absent").get()).isNull();

    ConfigMap live = configMaps.resource(configMap("present", Map.of("a", "1"), Map.of())).create();
    ConfigMap wouldMerge =
        configMaps
            .resource(configMap("present", Map.of("a", "2"), Map.of()))
            .dryRun()
            .fieldManager("hindsight")
            .forceConflicts()
            .serverSideApply();
    assertThat(wouldMerge.getData()).containsEntry("a", "2");
    ConfigMap after = configMaps.withName("present").get();
    assertThat(after.getData()).containsEntry("a", "1");
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(live.getMetadata().getResourceVersion());
  }

  @Test
  void appliesReachWatchesAsAddedAndModified() {
    List<String> events = new CopyOnWriteArrayList<>();
    var configMaps = client.configMaps().inNamespace("watched");
    try (var watch =
        configMaps.watch(
            new Watcher<ConfigMap>() {
              @Override
              public void eventReceived(Action action, ConfigMap resource) {
                events.add(action + " " + resource.getData().get("a"));
              }

              @Override
              public void onClose(WatcherException cause) {}
            })) {
      for (String value : List.of("1", "2")) {
        configMaps
            .resource(configMap("watched", Map.of("a", value), Map.of()))
            .fieldManager("hindsight")
            .forceConflicts()
            .serverSideApply();
      }
      configMaps.withName("watched").delete();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(events).containsExactly("ADDED 1", "MODIFIED 2", "DELETED 2"));
    }
  }

  @Test
  void replicasDefaultToOneAsOnARealServer() {
    var deployments = client.apps().deployments().inNamespace("defaults");
    Deployment noReplicas = deployment("created", "nginx:1");
    noReplicas.getSpec().setReplicas(null);
    Deployment applied = deployment("applied", "nginx:1");
    applied.getSpec().setReplicas(null);

    deployments.resource(noReplicas).create();
    deployments.resource(applied).fieldManager("hindsight").forceConflicts().serverSideApply();

    assertThat(deployments.withName("created").get().getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployments.withName("applied").get().getSpec().getReplicas()).isEqualTo(1);
    assertThat(
            client
                .configMaps()
                .inNamespace("defaults")
                .resource(configMap("untouched", Map.of("a", "1"), Map.of()))
                .create()
                .getData())
        .containsExactlyEntriesOf(Map.of("a", "1"));
  }

  @Test
  void discoveryIsTheRecordedOne() {
    assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.20.2");
    assertThat(client.getApiGroups().getGroups()).extracting(g -> g.getName()).contains("apps");
    assertThat(client.getApiResources("apps/v1").getResources())
        .extracting(r -> r.getName())
        .contains("deployments", "deployments/status")
        .doesNotContain("deployments/scale");
    assertThat(client.getApiResources("no.such.group/v1")).isNull();
  }

  @Test
  void subresourcesItCannotServeAreRefusedAndChangeNothing() {
    var deployments = client.apps().deployments().inNamespace("scale");
    deployments.resource(deployment("web", "nginx:1")).create();

    assertThatThrownBy(() -> deployments.withName("web").scale(3))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("scale");
    assertThat(deployments.withName("web").get().getSpec().getReplicas()).isEqualTo(1);
  }

  @Test
  void dryRunWritesOtherThanApplyAreRefused() {
    var configMaps = client.configMaps().inNamespace("dry-create");

    assertThatThrownBy(
            () -> configMaps.resource(configMap("c", Map.of(), Map.of())).dryRun().create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("dry-runs server-side apply only");
    assertThat(configMaps.withName("c").get()).isNull();
  }

  private static ConfigMap configMap(
      String name, Map<String, String> data, Map<String, String> labels) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withData(data)
        .build();
  }

  private static Deployment deployment(String name, String... images) {
    DeploymentBuilder builder =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withReplicas(1)
            .withNewSelector()
            .addToMatchLabels("app", name)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", name)
            .endMetadata()
            .withNewSpec()
            .endSpec()
            .endTemplate()
            .endSpec();
    for (int i = 0; i < images.length; i++) {
      builder
          .editSpec()
          .editTemplate()
          .editSpec()
          .addNewContainer()
          .withName("c" + i)
          .withImage(images[i])
          .endContainer()
          .endSpec()
          .endTemplate()
          .endSpec();
    }
    return builder.build();
  }
}
