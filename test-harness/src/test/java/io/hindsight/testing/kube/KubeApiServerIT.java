package io.hindsight.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.hindsight.testing.TestData;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KubeApiServerExtension.class)
class KubeApiServerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void servesCoreObjectsAndRunsControllers(KubernetesClient client) {
    String ns = newNamespace(client);
    client.configMaps().inNamespace(ns).resource(configMap("settings", "1")).create();
    client.apps().deployments().inNamespace(ns).resource(deployment("web")).create();

    assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.20.2");
    assertThat(client.configMaps().inNamespace(ns).withName("settings").get().getData())
        .containsEntry("k", "1");
    // the controller-manager runs: a ReplicaSet for the Deployment, kube-root-ca.crt in the
    // namespace
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              List<ReplicaSet> sets = client.apps().replicaSets().inNamespace(ns).list().getItems();
              assertThat(sets).hasSize(1);
              assertThat(sets.get(0).getMetadata().getOwnerReferences().get(0).getName())
                  .isEqualTo("web");
            });
    await()
        .atMost(TIMEOUT)
        .until(
            () -> client.configMaps().inNamespace(ns).withName("kube-root-ca.crt").get() != null);
  }

  @Test
  void servesCustomResources(KubernetesClient client) {
    String ns = newNamespace(client);
    CustomResourceDefinition crd =
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .load(TestData.path("sample-controller/crd.yaml").toFile())
            .item();
    client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                client
                    .apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(crd.getMetadata().getName())
                    .get()
                    .getStatus()
                    .getConditions()
                    .stream()
                    .anyMatch(
                        c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));

    // the generic client finds the kind through discovery, which the mock server lacks
    var foos = client.genericKubernetesResources("samplecontroller.k8s.io/v1alpha1", "Foo");
    GenericKubernetesResource foo =
        foos.inNamespace(ns)
            .load(TestData.path("sample-controller/example-foo.yaml").toFile())
            .item();
    foos.inNamespace(ns).resource(foo).create();

    GenericKubernetesResource read = foos.inNamespace(ns).withName("example-foo").get();
    assertThat(read.getMetadata().getUid()).isNotBlank();
    assertThat(read.<Object>get("spec", "deploymentName")).isEqualTo("example-foo");
    assertThat(read.<Object>get("spec", "replicas")).isEqualTo(1);
    assertThat(foos.inNamespace(ns).list().getItems()).hasSize(1);
  }

  @Test
  void watchFromBeforeCompactionGetsGone(KubeApiServer kube, KubernetesClient client) {
    String ns = newNamespace(client);
    String before =
        client
            .configMaps()
            .inNamespace(ns)
            .resource(configMap("watched", "1"))
            .create()
            .getMetadata()
            .getResourceVersion();
    client
        .configMaps()
        .inNamespace(ns)
        .withName("watched")
        .edit(c -> new ConfigMapBuilder(c).addToData("k", "2").build());

    // control: before compaction, a watch from that version replays the update
    WatchOutcome replay = watchFrom(client, ns, "watched", before);
    await().atMost(TIMEOUT).until(() -> !replay.events().isEmpty());
    replay.watch().close();
    assertThat(replay.events()).containsExactly(Watcher.Action.MODIFIED);

    long revision = kube.compactEtcd();
    assertThat(revision).isGreaterThan(Long.parseLong(before));

    WatchOutcome expired = watchFrom(client, ns, "watched", before);
    assertThat(expired.closed())
        .succeedsWithin(TIMEOUT)
        .satisfies(
            cause -> {
              assertThat(cause.isHttpGone()).isTrue();
              assertThat(cause.asClientException().getCode())
                  .isEqualTo(HttpURLConnection.HTTP_GONE);
            });
    expired.watch().close();
    assertThat(expired.events()).isEmpty();
  }

  @Test
  void informerRelistsAfterCompaction(KubeApiServer kube, KubernetesClient client) {
    String ns = newNamespace(client);
    client.configMaps().inNamespace(ns).resource(configMap("kept", "1")).create();
    List<String> added = new CopyOnWriteArrayList<>();
    try (SharedIndexInformer<ConfigMap> informer =
        client
            .configMaps()
            .inNamespace(ns)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ConfigMap obj) {
                    added.add(obj.getMetadata().getName());
                  }

                  @Override
                  public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {}

                  @Override
                  public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {}
                })) {
      await().atMost(TIMEOUT).until(() -> added.contains("kept"));
      long listed = Long.parseLong(informer.lastSyncResourceVersion());
      // move the cluster's revision past what this informer has seen, in a resource it does not
      // watch, so that the version it resumes from is older than the compacted store
      client
          .secrets()
          .inNamespace(ns)
          .resource(
              new SecretBuilder().withNewMetadata().withName("elsewhere").endMetadata().build())
          .create();

      long compacted = kube.compactEtcd();
      assertThat(compacted).isGreaterThan(listed);

      // resuming its watch got 410 Gone ("Watch restarting due to http gone" in fabric8's debug
      // log), so the informer listed again: it is now at least at the compacted revision, which no
      // event of its own could have taken it to
      await()
          .atMost(TIMEOUT)
          .until(() -> Long.parseLong(informer.lastSyncResourceVersion()) >= compacted);
      client.configMaps().inNamespace(ns).resource(configMap("after", "1")).create();
      await().atMost(TIMEOUT).until(() -> added.contains("after"));
      // the relist found "kept" unchanged: no second ADDED for it
      assertThat(added).doesNotHaveDuplicates().contains("kept", "after");
      assertThat(informer.isWatching()).isTrue();
    }
  }

  @Test
  void objectsSurviveRestarts(KubeApiServer kube, KubernetesClient client) {
    String ns = newNamespace(client);
    client.configMaps().inNamespace(ns).resource(configMap("durable", "1")).create();

    kube.restartApiServer();
    assertThat(client.configMaps().inNamespace(ns).withName("durable").get().getData())
        .containsEntry("k", "1");

    kube.restartEtcd();
    assertThat(client.configMaps().inNamespace(ns).withName("durable").get().getData())
        .containsEntry("k", "1");
    // the controller-manager followed the restarts
    client.apps().deployments().inNamespace(ns).resource(deployment("after-restart")).create();
    await()
        .atMost(TIMEOUT)
        .until(() -> !client.apps().replicaSets().inNamespace(ns).list().getItems().isEmpty());
  }

  private record WatchOutcome(
      Watch watch, List<Watcher.Action> events, CompletableFuture<WatcherException> closed) {}

  private static WatchOutcome watchFrom(
      KubernetesClient client, String ns, String name, String version) {
    List<Watcher.Action> events = new CopyOnWriteArrayList<>();
    CompletableFuture<WatcherException> closed = new CompletableFuture<>();
    Watch watch =
        client
            .configMaps()
            .inNamespace(ns)
            .withName(name) // one object: the controller-manager adds kube-root-ca.crt meanwhile
            .withResourceVersion(version)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, ConfigMap resource) {
                    events.add(action);
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    closed.complete(cause);
                  }
                });
    return new WatchOutcome(watch, events, closed);
  }

  private static String newNamespace(KubernetesClient client) {
    String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  private static ConfigMap configMap(String name, String value) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withData(Map.of("k", value))
        .build();
  }

  private static Deployment deployment(String name) {
    Map<String, String> labels = Map.of("app", name);
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewSelector()
        .withMatchLabels(labels)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("web")
        .withImage("nginx:1.25")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
