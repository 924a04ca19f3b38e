package io.hindsight.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hindsight.testing.kube.KubeApiServerExtension;
import io.hindsight.testing.kube.ServedComparison;
import io.hindsight.testing.registry.RegistryExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Restores back into the namespace they came from, through the whole loop: a dry run that shows the
 * plan and provably writes nothing; {@code --existing-policy replace --prune}, after which the
 * namespace is exactly what was recorded at T; and the existing-object policies against a live
 * object another field manager has taken fields of (server-side apply conflicts).
 */
@ExtendWith({KubeApiServerExtension.class, RegistryExtension.class, SharedPipeline.class})
@Order(2)
class InPlaceRestoreIT {
  private static final String NS = "in-place";
  private static final String FRONTEND_IMAGE =
      "gcr.io/google-samples/microservices-demo/frontend:v0.7.0";

  /** Made after T: pruned. */
  private static final String[] PRUNED = {
    "ConfigMap/extra", "Deployment.apps/newcomer", "Foo.samplecontroller.k8s.io/another-foo"
  };

  /** Deleted after T: created again. */
  private static final String[] RECREATED = {
    "Service/emailservice", "Deployment.apps/adservice", "ConfigMap/mysql"
  };

  private static Pipeline pipeline;

  @BeforeAll
  static void start(Pipeline shared) {
    pipeline = shared;
  }

  @Test
  void dryRunThenUpdateAndReplaceWithPruneThenConflictsThenTheNamespaceDeletedAndBack(
      KubernetesClient client) {
    Manifests.all(client, NS, false);
    ServerObjects.AtInstant t = RecordedState.settled(pipeline, client, NS, List.of());
    String at = t.at().toString();

    // after T: edits by other clients, deletions, new objects
    Manifests.setImage(client, NS, "frontend", "frontend:v9.9.9");
    Manifests.scale(client, NS, "cartservice", 3);
    Manifests.editConfigMap(client, NS, "settings", Map.of("theme", "dark", "banner", "sale"));
    Manifests.editSecret(client, NS, "db", Map.of("password", "changed"));
    Manifests.patchFoo(client, NS, "example-foo", 5);
    client.services().inNamespace(NS).withName("emailservice").delete();
    client.apps().deployments().inNamespace(NS).withName("adservice").delete();
    client.configMaps().inNamespace(NS).withName("mysql").delete();
    Manifests.configMap(client, NS, "extra", Map.of("k", "v"));
    Manifests.deployment(client, NS, "newcomer");
    Manifests.foo(client, NS, "another-foo", "another-foo");
    ServerObjects.AtInstant after = RecordedState.settled(pipeline, client, NS, List.of());
    pipeline.awaitCovered(after.at());
    assertThat(RecordedState.versions(pipeline.reader(), pipeline.cluster, NS, t.at()))
        .as("history of %s at T against the server's objects then", NS)
        .isEqualTo(RecordedState.versions(t.listing()));

    dryRun(client, at, after);
    updateAndPrune(client, t);
    replaceAndPrune(client, t);
    policies(client, t);
    namespaceDeletedAndBack(client, t);
  }

  /** The plan of the in-place restore, as JSON and as text; not one write. */
  private static void dryRun(KubernetesClient client, String at, ServerObjects.AtInstant before) {
    String[] request = {
      "--namespace", NS, "--at", at, "--existing-policy", "replace", "--prune", "--dry-run"
    };
    // the same plan as JSON and as text, at once: neither writes
    List<Hindsight.Run> runs = pipeline.restoreAll(List.of(request, concat(request, "-o", "text")));
    assertThat(runs).allSatisfy(run -> assertThat(run.exitCode()).as(run.toString()).isZero());
    JsonNode plan = runs.get(0).json();
    Hindsight.Run text = runs.get(1);

    assertThat(ServerObjects.list(client, NS, List.of()).versions())
        .as("resourceVersions and the object list after two dry runs")
        .isEqualTo(before.listing().versions());
    Set<String> managers = new TreeSet<>();
    ServerObjects.list(client, NS, List.of())
        .objects()
        .values()
        .forEach(o -> managers.addAll(ServerObjects.managers(o)));
    assertThat(managers).doesNotContain(Restored.FIELD_MANAGER);

    assertThat(plan.path("dryRun").asBoolean()).isTrue();
    Restored.assertCompleted(plan);
    assertThat(Restored.withOutcome(plan, "DELETED")).containsExactlyInAnyOrder(PRUNED);
    assertThat(Restored.withOutcome(plan, "CREATED")).containsExactlyInAnyOrder(RECREATED);
    assertThat(Restored.entry(plan, "Deployment.apps", "frontend").path("diff").toString())
        .contains("spec.template.spec.containers[0].image", "frontend:v9.9.9", FRONTEND_IMAGE);
    assertThat(Restored.entry(plan, "ConfigMap", "settings").path("diff").toString())
        .contains("data.theme", "data.banner");
    assertThat(text.stdout())
        .contains("would delete", "would create", "would replace", "nothing was written");
  }

  /**
   * {@code update --prune}: what was made after T is pruned, what was deleted is back, every field
   * the recording holds is as it was — but update is a server-side apply, a merge: a field another
   * manager added after T (a ConfigMap key from {@code kubectl edit}) stays.
   */
  private static void updateAndPrune(KubernetesClient client, ServerObjects.AtInstant t) {
    JsonNode report =
        pipeline.restoreCompleted(
            "--namespace", NS, "--at", t.at().toString(), "--existing-policy", "update", "--prune");
    Restored.assertCompleted(report);
    assertThat(Restored.withOutcome(report, "DELETED")).containsExactlyInAnyOrder(PRUNED);
    assertThat(Restored.withOutcome(report, "CREATED")).containsExactlyInAnyOrder(RECREATED);
    await("update --prune done")
        .atMost(Pipeline.WAIT)
        .untilAsserted(
            () -> {
              ServerObjects.Listing live = ServerObjects.list(client, NS, List.of());
              List<String> differences = new ArrayList<>();
              t.listing()
                  .objects()
                  .forEach(
                      (k, o) -> {
                        if (Restored.restorable(o) && !k.startsWith("Namespace/")) {
                          JsonNode now = live.get(k);
                          if (now == null) {
                            differences.add(k + " missing");
                          } else {
                            ServedComparison.differences(o, now, NS, NS)
                                .forEach(d -> differences.add(k + " " + d));
                          }
                        }
                      });
              live.objects()
                  .forEach(
                      (k, o) -> {
                        if (Restored.restorable(o) && t.listing().get(k) == null) {
                          differences.add(k + " not pruned");
                        }
                      });
              assertThat(differences)
                  .as("the namespace after update --prune against T")
                  .containsExactly("ConfigMap/settings .data.banner: null → \"sale\"");
            });
  }

  /** {@code replace --prune}: the namespace exactly as recorded at T. */
  private static void replaceAndPrune(KubernetesClient client, ServerObjects.AtInstant t) {
    JsonNode report =
        pipeline.restoreCompleted(
            "--namespace",
            NS,
            "--at",
            t.at().toString(),
            "--existing-policy",
            "replace",
            "--prune");
    Restored.assertCompleted(report);
    assertThat(Restored.withOutcome(report, "DELETED")).isEmpty(); // update --prune did it
    assertThat(Restored.entry(report, "ConfigMap", "settings").path("outcome").asText())
        .isEqualTo("REPLACED");
    Restored.assertAsRecorded(client, t.listing(), NS, NS, List.of());
    Restored.assertReplicaSetsFromController(client, NS);
  }

  /**
   * Another field manager takes the frontend's image and adds a label after T (server-side apply,
   * forced). none leaves the object; update without forcing reports the conflict and changes
   * nothing; update takes the image back and keeps the label only the other manager owns (a merge);
   * replace makes the object exactly the recorded one, under the same uid.
   */
  private static void policies(KubernetesClient client, ServerObjects.AtInstant t) {
    var frontend = client.apps().deployments().inNamespace(NS).withName("frontend");
    String uid = frontend.get().getMetadata().getUid();
    Deployment other =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("frontend")
            .withNamespace(NS)
            .addToLabels("owner", "other")
            .endMetadata()
            .withNewSpec()
            .withNewTemplate()
            .withNewSpec()
            .addNewContainer()
            .withName("server")
            .withImage("frontend:other")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .resource(other)
        .fieldManager("other-manager")
        .forceConflicts()
        .serverSideApply();
    String at = t.at().toString();
    String[] onlyFrontend = {
      "--namespace", NS, "--at", at, "--include-kinds", "deployments", "--name", "frontend"
    };

    // none and update without forcing, at once: neither may write
    List<Hindsight.Run> unforced =
        pipeline.restoreAll(
            List.of(
                onlyFrontend,
                concat(onlyFrontend, "--existing-policy", "update", "--no-force-conflicts")));
    Hindsight.Run skipped = unforced.get(0);
    assertThat(skipped.exitCode()).as(skipped.toString()).isZero();
    JsonNode none = skipped.json();
    assertThat(Restored.entry(none, "Deployment.apps", "frontend").path("outcome").asText())
        .isEqualTo("SKIPPED");
    Hindsight.Run kept = unforced.get(1);
    assertThat(kept.exitCode()).as(kept.toString()).isEqualTo(1);
    JsonNode conflict = Restored.entry(kept.json(), "Deployment.apps", "frontend");
    assertThat(conflict.path("outcome").asText()).isEqualTo("FAILED");
    assertThat(conflict.path("reason").asText()).contains("conflict", "other-manager", "image");
    assertThat(image(frontend.get())).isEqualTo("frontend:other");

    JsonNode update =
        pipeline.restoreCompleted(concat(onlyFrontend, "--existing-policy", "update"));
    assertThat(Restored.entry(update, "Deployment.apps", "frontend").path("outcome").asText())
        .isEqualTo("UPDATED");
    assertThat(image(frontend.get())).isEqualTo(FRONTEND_IMAGE);
    assertThat(frontend.get().getMetadata().getLabels())
        .as("update is a merge: a field only the other manager owns stays")
        .containsEntry("owner", "other");

    JsonNode replace =
        pipeline.restoreCompleted(concat(onlyFrontend, "--existing-policy", "replace"));
    assertThat(Restored.entry(replace, "Deployment.apps", "frontend").path("outcome").asText())
        .isEqualTo("REPLACED");
    Deployment replaced = frontend.get();
    assertThat(replaced.getMetadata().getUid()).isEqualTo(uid);
    assertThat(replaced.getMetadata().getLabels()).doesNotContainKey("owner");
    // compared as served (generic JSON), like every other comparison here
    assertThat(
            ServedComparison.differences(
                t.listing().get("Deployment.apps/frontend"),
                ServerObjects.list(client, NS, List.of()).get("Deployment.apps/frontend"),
                NS,
                NS))
        .as("the replaced frontend against the recorded one")
        .isEmpty();
  }

  /**
   * The worst case: the whole namespace deleted (the namespace controller removes everything in
   * it). A plain restore at T brings it back as it was.
   */
  private static void namespaceDeletedAndBack(KubernetesClient client, ServerObjects.AtInstant t) {
    client.namespaces().withName(NS).delete();
    await("namespace " + NS + " gone")
        .atMost(Pipeline.WAIT)
        .until(() -> client.namespaces().withName(NS).get() == null);
    pipeline.awaitCovered(Pipeline.now());

    JsonNode report = pipeline.restoreCompleted("--namespace", NS, "--at", t.at().toString());
    Restored.assertCompleted(report);
    assertThat(Restored.withOutcome(report, "CREATED")).contains("Namespace/" + NS);
    Restored.assertAsRecorded(client, t.listing(), NS, NS, List.of());
    Restored.assertReplicaSetsFromController(client, NS);
  }

  private static String image(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = new String[first.length + more.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
