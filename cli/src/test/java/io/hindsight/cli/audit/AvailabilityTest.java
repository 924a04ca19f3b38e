package io.hindsight.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AvailabilityTest {
  private static Optional<Availability.Verdict> of(String kind, String json) {
    return Availability.of(kind, Json.parse(json));
  }

  private static boolean available(String kind, String json) {
    return of(kind, json).orElseThrow().available();
  }

  @Test
  void deploymentNeedsTheCurrentSpecSeenEveryReplicaUpdatedAvailableAndNoOldOnes() {
    String spec = "\"metadata\":{\"generation\":2},\"spec\":{\"replicas\":3}";
    assertThat(available("Deployment", "{" + spec + "}")).as("no status yet").isFalse();
    assertThat(of("Deployment", "{" + spec + "}").orElseThrow().reason())
        .isEqualTo("no status recorded yet");
    assertThat(
            available(
                "Deployment",
                "{"
                    + spec
                    + ",\"status\":{\"observedGeneration\":1,\"replicas\":3,"
                    + "\"updatedReplicas\":3,\"availableReplicas\":3}}"))
        .as("generation 2 not observed")
        .isFalse();
    assertThat(
            available(
                "Deployment",
                "{"
                    + spec
                    + ",\"status\":{\"observedGeneration\":2,\"replicas\":4,"
                    + "\"updatedReplicas\":3,\"availableReplicas\":3}}"))
        .as("an old replica still running")
        .isFalse();
    assertThat(
            available(
                "Deployment",
                "{"
                    + spec
                    + ",\"status\":{\"observedGeneration\":2,\"replicas\":3,"
                    + "\"updatedReplicas\":3,\"availableReplicas\":2}}"))
        .isFalse();
    assertThat(
            of(
                    "Deployment",
                    "{"
                        + spec
                        + ",\"status\":{\"observedGeneration\":2,\"replicas\":3,"
                        + "\"updatedReplicas\":3,\"availableReplicas\":2}}")
                .orElseThrow()
                .reason())
        .isEqualTo("2 of 3 replicas available");
    assertThat(
            available(
                "Deployment",
                "{"
                    + spec
                    + ",\"status\":{\"observedGeneration\":2,\"replicas\":3,"
                    + "\"updatedReplicas\":3,\"readyReplicas\":3,\"availableReplicas\":3}}"))
        .isTrue();
    assertThat(
            available(
                "Deployment",
                "{\"metadata\":{\"generation\":1},\"spec\":{},\"status\":{\"observedGeneration\":1,"
                    + "\"replicas\":1,\"updatedReplicas\":1,\"availableReplicas\":1}}"))
        .as("replicas defaults to 1")
        .isTrue();
    assertThat(
            available(
                "Deployment",
                "{\"metadata\":{\"generation\":1},\"spec\":{\"replicas\":0},"
                    + "\"status\":{\"observedGeneration\":1}}"))
        .as("scaled to zero and seen")
        .isTrue();
  }

  @Test
  void statefulSetNeedsEveryReplicaReadyAndTheRollingUpdateDone() {
    String spec = "\"metadata\":{\"generation\":1},\"spec\":{\"replicas\":3}";
    assertThat(
            available(
                "StatefulSet",
                "{"
                    + spec
                    + ",\"status\":{\"observedGeneration\":1,\"replicas\":3,\"readyReplicas\":2}}"))
        .isFalse();
    assertThat(
            available(
                "StatefulSet",
                "{"
                    + spec
                    + ",\"status\":{\"observedGeneration\":1,\"replicas\":2,\"readyReplicas\":2}}"))
        .isFalse();
    assertThat(
            available(
                "StatefulSet",
                "{"
                    + spec
                    + ",\"status\":{\"observedGeneration\":1,\"replicas\":3,\"readyReplicas\":3,"
                    + "\"currentRevision\":\"a\",\"updateRevision\":\"b\"}}"))
        .isFalse();
    assertThat(
            available(
                "StatefulSet",
                "{"
                    + spec
                    + ",\"status\":{\"observedGeneration\":1,\"replicas\":3,\"readyReplicas\":3,"
                    + "\"currentRevision\":\"b\",\"updateRevision\":\"b\"}}"))
        .isTrue();
  }

  @Test
  void daemonSetReplicaSetAndPod() {
    assertThat(
            available(
                "DaemonSet",
                "{\"metadata\":{\"generation\":1},\"status\":{\"observedGeneration\":1,"
                    + "\"desiredNumberScheduled\":2,\"updatedNumberScheduled\":2,\"numberAvailable\":1}}"))
        .isFalse();
    assertThat(
            available(
                "DaemonSet",
                "{\"metadata\":{\"generation\":1},\"status\":{\"observedGeneration\":1,"
                    + "\"desiredNumberScheduled\":2,\"updatedNumberScheduled\":2,\"numberAvailable\":2}}"))
        .isTrue();
    assertThat(
            available(
                "ReplicaSet",
                "{\"metadata\":{\"generation\":1},\"spec\":{\"replicas\":2},"
                    + "\"status\":{\"observedGeneration\":1,\"availableReplicas\":2}}"))
        .isTrue();
    assertThat(available("Pod", "{\"status\":{\"phase\":\"Pending\"}}")).isFalse();
    assertThat(
            available(
                "Pod",
                "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}"))
        .isTrue();
    assertThat(available("Pod", "{\"status\":{\"phase\":\"Succeeded\"}}")).isTrue();
  }

  @Test
  void ownedWorkloadsAndOtherKindsAreNotJudged() {
    assertThat(
            of(
                "ReplicaSet",
                "{\"metadata\":{\"ownerReferences\":[{\"kind\":\"Deployment\",\"controller\":true}]}}"))
        .isEmpty();
    assertThat(
            of(
                "Pod",
                "{\"metadata\":{\"ownerReferences\":[{\"kind\":\"ReplicaSet\",\"controller\":true}]}}"))
        .isEmpty();
    assertThat(of("ConfigMap", "{}")).isEmpty();
    assertThat(of("Service", "{}")).isEmpty();
  }
}
