package io.hindsight.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hindsight.history.Selection;
import io.hindsight.history.StateQuery;
import io.hindsight.testing.kube.KubeApiServer;
import io.hindsight.testing.kube.KubeApiServerExtension;
import io.hindsight.testing.registry.RegistryExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole loop on every manifest set of the shared test data: applied to a real API server,
 * recorded by {@code hindsight watch}, materialized by {@code hindsight materialize}, changed the
 * way users change applications, and restored by {@code hindsight restore} at three instants into
 * fresh namespaces and into a second API server standing in for another cluster. Every restored
 * object equals what the server held at that instant; ReplicaSets come back from the controller.
 */
@ExtendWith({KubeApiServerExtension.class, RegistryExtension.class, SharedPipeline.class})
@Order(1)
class RoundTripIT {
  private static final String NS = "rt";

  private static Pipeline pipeline;

  /** The second API server: started while the manifests are applied to the first. */
  private static CompletableFuture<KubeApiServer> otherCluster;

  @BeforeAll
  static void start(Pipeline shared) {
    pipeline = shared;
    otherCluster =
        CompletableFuture.supplyAsync(() -> KubeApiServer.start(TestDirs.create("other-cluster-")));
  }

  @AfterAll
  static void stop() {
    if (otherCluster != null) {
      otherCluster.thenAccept(KubeApiServer::close).exceptionally(e -> null).join();
    }
  }

  @Test
  void everyManifestSetComesBackAsTheServerHeldItAtThreeInstantsAndInAnotherCluster(
      KubernetesClient client) {
    // T1: everything applied, the controllers done
    Manifests.all(client, NS, true);
    ServerObjects.AtInstant t1 =
        RecordedState.settled(pipeline, client, NS, Manifests.CLUSTER_OBJECTS);

    // T2: image bump, scaling, ConfigMap and Secret edits, deletions, new objects
    Manifests.setImage(
        client, NS, "frontend", "gcr.io/google-samples/microservices-demo/frontend:v0.8.0");
    Manifests.scale(client, NS, "cartservice", 3);
    Manifests.editConfigMap(
        client,
        NS,
        "mysql",
        Map.of("primary.cnf", "# primary\n[mysqld]\nlog-bin\nmax_connections=500\n"));
    Manifests.editConfigMap(client, NS, "settings", Map.of("theme", "dark", "banner", "sale"));
    Manifests.editSecret(client, NS, "db", Map.of("password", "n3w-s3cret", "user", "shop"));
    client.services().inNamespace(NS).withName("emailservice").delete();
    client.apps().deployments().inNamespace(NS).withName("adservice").delete();
    Manifests.configMap(client, NS, "feature-flags", Map.of("checkout-v2", "on"));
    Manifests.deployment(client, NS, "newcomer");
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("api-token")
                .endMetadata()
                .addToStringData("token", "abc123")
                .build())
        .create();
    Manifests.patchFoo(client, NS, "example-foo", 3);
    ServerObjects.AtInstant t2 =
        RecordedState.settled(pipeline, client, NS, Manifests.CLUSTER_OBJECTS);

    // T3: more of the same, a custom resource replaced, a deleted Service back under a new uid
    Manifests.setImage(
        client,
        NS,
        "checkoutservice",
        "gcr.io/google-samples/microservices-demo/checkoutservice:v0.8.0");
    Manifests.scale(client, NS, "frontend", 2);
    client.apps().statefulSets().inNamespace(NS).withName("mysql").scale(2);
    java.util.Map<String, String> removeCurrency = new java.util.HashMap<>();
    removeCurrency.put("currency", null);
    Manifests.editConfigMap(client, NS, "settings", removeCurrency);
    client.configMaps().inNamespace(NS).withName("feature-flags").delete();
    client.secrets().inNamespace(NS).withName("api-token").delete();
    client
        .genericKubernetesResources(Manifests.FOO)
        .inNamespace(NS)
        .withName("example-foo")
        .delete();
    Manifests.foo(client, NS, "example-foo-2", "example-foo-2");
    Manifests.createOne(client, "online-boutique/v0.7.0.yaml", NS, "Service", "emailservice");
    ServerObjects.AtInstant t3 =
        RecordedState.settled(pipeline, client, NS, Manifests.CLUSTER_OBJECTS);

    pipeline.awaitCovered(t3.at());
    assertThat(
            pipeline
                .reader()
                .stateAt(
                    new StateQuery(
                        pipeline.cluster, Optional.of(NS), t3.at(), Selection.EVERYTHING, false))
                .checkpointsUsed())
        .as("checkpoints behind the state at T3")
        .isEqualTo(1);

    for (ServerObjects.AtInstant t : List.of(t1, t2, t3)) {
      // what was recorded is what the server held: every object, in its exact version
      assertThat(RecordedState.versions(pipeline.reader(), pipeline.cluster, NS, t.at()))
          .as("history of %s at %s against the server's objects then", NS, t.at())
          .isEqualTo(RecordedState.versions(t.listing()));
    }
    // one restore per instant into a fresh namespace, and the second instant into another cluster
    // (a second API server, through its kubeconfig), which lacks the CRD and the cluster RBAC too:
    // they come with the namespace. Independent targets: the four run at once.
    List<ServerObjects.AtInstant> instants = List.of(t1, t2, t3);
    KubeApiServer other = otherCluster.join();
    List<String[]> requests = new ArrayList<>();
    for (int n = 1; n <= instants.size(); n++) {
      requests.add(
          new String[] {
            "--namespace", NS, "--at", instants.get(n - 1).at().toString(), "--to-namespace", to(n)
          });
    }
    requests.add(
        new String[] {
          "--namespace",
          NS,
          "--at",
          t2.at().toString(),
          "--kubeconfig",
          other.kubeconfigPath().toString()
        });
    List<JsonNode> reports = pipeline.restoreAllCompleted(requests);
    for (int n = 1; n <= instants.size(); n++) {
      Restored.assertCompleted(reports.get(n - 1));
      Restored.assertAsRecorded(client, instants.get(n - 1).listing(), NS, to(n), List.of());
      Restored.assertReplicaSetsFromController(client, to(n));
    }
    // the instants differ where the changes say they do
    assertThat(Manifests.image(deployment(client, NS + "-t1", "frontend"))).endsWith(":v0.7.0");
    assertThat(Manifests.image(deployment(client, NS + "-t2", "frontend"))).endsWith(":v0.8.0");
    assertThat(client.apps().deployments().inNamespace(NS + "-t1").withName("adservice").get())
        .isNotNull();
    assertThat(client.apps().deployments().inNamespace(NS + "-t2").withName("adservice").get())
        .isNull();
    assertThat(client.services().inNamespace(NS + "-t3").withName("emailservice").get())
        .isNotNull();
    assertThat(
            client.secrets().inNamespace(NS + "-t2").withName("db").get().getData().get("password"))
        .isEqualTo(Manifests.base64("n3w-s3cret"));

    JsonNode otherReport = reports.get(3);
    Restored.assertCompleted(otherReport);
    assertThat(Restored.withOutcome(otherReport, "CREATED"))
        .contains(
            "Namespace/" + NS,
            "CustomResourceDefinition.apiextensions.k8s.io/foos.samplecontroller.k8s.io",
            "ClusterRole.rbac.authorization.k8s.io/kube-state-metrics",
            "ClusterRoleBinding.rbac.authorization.k8s.io/kube-state-metrics",
            "Foo.samplecontroller.k8s.io/example-foo");
    try (KubernetesClient otherClient = other.client()) {
      Restored.assertAsRecorded(otherClient, t2.listing(), NS, NS, Manifests.CLUSTER_OBJECTS);
      Restored.assertReplicaSetsFromController(otherClient, NS);
    }
  }

  private static String to(int instant) {
    return NS + "-t" + instant;
  }

  private static JsonNode deployment(KubernetesClient client, String ns, String name) {
    return Hindsight.JSON.valueToTree(
        client.apps().deployments().inNamespace(ns).withName(name).get());
  }
}
