package io.hindsight.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hindsight.testing.kube.ServedComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks of a restore against what the API server held at T — written from the Kubernetes side,
 * independently of the restorer's own rules, so a wrong rule there shows up here.
 */
final class Restored {
  /** The restorer's field manager. */
  static final String FIELD_MANAGER = "hindsight";

  private Restored() {}

  /**
   * Whether a restore brings {@code object} back itself. Not: what a controller makes (anything
   * with a controller owner reference: ReplicaSets, their Pods, ControllerRevisions), the endpoints
   * the endpoint controllers derive from Services, service-account tokens and the cluster's CA
   * bundle, which the cluster makes in every namespace.
   */
  static boolean restorable(JsonNode object) {
    String kind = object.path("kind").asText();
    if (kind.equals("Endpoints") || kind.equals("EndpointSlice")) {
      return false;
    }
    if (ServerObjects.controllerUid(object) != null) {
      return false;
    }
    if (kind.equals("Secret")
        && object.path("type").asText().equals("kubernetes.io/service-account-token")) {
      return false;
    }
    return !(kind.equals("ConfigMap")
        && object.path("metadata").path("name").asText().equals("kube-root-ca.crt"));
  }

  /** {@code Namespace/from} is expected as {@code Namespace/to}. */
  private static String mapped(String key, String from, String to) {
    return key.equals("Namespace/" + from) ? "Namespace/" + to : key;
  }

  /**
   * The objects of {@code to} equal the restorable objects of {@code from} at T, field by field
   * modulo what a server assigns ({@link ServedComparison}); no more, no fewer. Waits a while for
   * the controllers of the target (a ServiceAccount controller's {@code default} appears
   * asynchronously).
   */
  static void assertAsRecorded(
      KubernetesClient target,
      ServerObjects.Listing recorded,
      String from,
      String to,
      List<String> clusterScoped) {
    Map<String, JsonNode> expected = new TreeMap<>();
    recorded
        .objects()
        .forEach(
            (k, o) -> {
              boolean namespacedOrOwn =
                  !o.path("metadata").path("namespace").asText().isEmpty()
                      || k.equals("Namespace/" + from)
                      || clusterScoped.contains(k);
              if (namespacedOrOwn && restorable(o)) {
                expected.put(mapped(k, from, to), o);
              }
            });
    await("namespace " + to + " as " + from + " was at T")
        .atMost(Pipeline.WAIT)
        .untilAsserted(
            () -> {
              ServerObjects.Listing live = ServerObjects.list(target, to, clusterScoped);
              Map<String, JsonNode> actual = new TreeMap<>();
              live.objects()
                  .forEach(
                      (k, o) -> {
                        if (restorable(o)) {
                          actual.put(k, o);
                        }
                      });
              assertThat(actual.keySet())
                  .as("the objects of %s against those %s held at T", to, from)
                  .containsExactlyElementsOf(expected.keySet());
              List<String> differences = new ArrayList<>();
              expected.forEach(
                  (k, o) ->
                      ServedComparison.differences(o, actual.get(k), from, to)
                          .forEach(d -> differences.add(k + " " + d)));
              assertThat(differences)
                  .as("differences between what the server held at T and the restored objects")
                  .isEmpty();
            });
  }

  /**
   * Every Deployment of {@code ns} has ReplicaSets, and every ReplicaSet there is owned by one of
   * those Deployments and was written by kube-controller-manager, never by the restorer; the
   * Deployment's current template has one.
   */
  static void assertReplicaSetsFromController(KubernetesClient client, String ns) {
    await("ReplicaSets of the Deployments of " + ns + " made by their controller")
        .atMost(Pipeline.WAIT)
        .untilAsserted(
            () -> {
              Map<String, JsonNode> deployments = new TreeMap<>();
              client
                  .apps()
                  .deployments()
                  .inNamespace(ns)
                  .list()
                  .getItems()
                  .forEach(
                      d ->
                          deployments.put(d.getMetadata().getUid(), Hindsight.JSON.valueToTree(d)));
              assertThat(deployments).isNotEmpty();
              Map<String, Set<String>> imagesByOwner = new TreeMap<>();
              for (var rs : client.apps().replicaSets().inNamespace(ns).list().getItems()) {
                JsonNode json = Hindsight.JSON.valueToTree(rs);
                String owner = ServerObjects.controllerUid(json);
                assertThat(owner)
                    .as("controller of ReplicaSet %s", rs.getMetadata().getName())
                    .isIn(deployments.keySet());
                assertThat(ServerObjects.managers(json))
                    .as("field managers of ReplicaSet %s", rs.getMetadata().getName())
                    .contains("kube-controller-manager")
                    .doesNotContain(FIELD_MANAGER);
                imagesByOwner
                    .computeIfAbsent(owner, o -> new TreeSet<>())
                    .add(Manifests.image(json));
              }
              deployments.forEach(
                  (uid, d) ->
                      assertThat(imagesByOwner.getOrDefault(uid, Set.of()))
                          .as(
                              "images of the ReplicaSets of Deployment %s",
                              d.path("metadata").path("name").asText())
                          .contains(Manifests.image(d)));
            });
  }

  /** The report's objects of one outcome, as {@code Kind/name}. */
  static List<String> withOutcome(JsonNode report, String outcome) {
    List<String> out = new ArrayList<>();
    for (JsonNode o : report.path("objects")) {
      if (o.path("outcome").asText().equals(outcome)) {
        out.add(o.path("kind").asText() + "/" + o.path("name").asText());
      }
    }
    return out;
  }

  /** The report's entry of one object, or a missing node. */
  static JsonNode entry(JsonNode report, String kind, String name) {
    for (JsonNode o : report.path("objects")) {
      if (o.path("kind").asText().equals(kind) && o.path("name").asText().equals(name)) {
        return o;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /**
   * The report of a completed restore: status, nothing failed, owned objects left to controllers.
   */
  static void assertCompleted(JsonNode report) {
    assertThat(report.path("status").asText()).as(report.toPrettyString()).isEqualTo("COMPLETED");
    assertThat(withOutcome(report, "FAILED")).isEmpty();
    for (JsonNode o : report.path("objects")) {
      String kind = o.path("kind").asText();
      if (kind.equals("ReplicaSet.apps") || kind.equals("Pod")) {
        assertThat(o.path("outcome").asText()).as(o.toString()).isEqualTo("SKIPPED");
        assertThat(o.path("reason").asText()).as(o.toString()).startsWith("left to its controller");
      }
    }
  }
}
