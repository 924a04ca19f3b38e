package io.hindsight.restorer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The sanitize rules on objects as kube-apiserver 1.20.2 served them (captured by RestorerIT from
 * the shared test-data manifests: Online Boutique, MySQL, sample-controller).
 */
class SanitizerTest {
  private static final Sanitizer SANITIZER = new Sanitizer(Set.of(), false);

  private static RestoreObject sanitized(String served) {
    RestoreObject item = TestObjects.served(served);
    SANITIZER.sanitize(item);
    return item;
  }

  private static List<String> names(com.fasterxml.jackson.databind.JsonNode array) {
    List<String> names = new java.util.ArrayList<>();
    array.forEach(element -> names.add(element.path("name").asText()));
    return names;
  }

  @Test
  void takesTheOldClustersMetadataAndStatusOut() {
    RestoreObject original = TestObjects.served("Deployment-frontend");
    assertThat(original.metadata().fieldNames())
        .toIterable()
        .contains("uid", "resourceVersion", "generation", "creationTimestamp", "managedFields");
    assertThat(original.object().has("status")).isTrue();
    assertThat(original.metadata().path("annotations").has("deployment.kubernetes.io/revision"))
        .isTrue();

    RestoreObject item = sanitized("Deployment-frontend");

    assertThat(item.metadata().fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("name", "namespace");
    assertThat(item.object().has("status")).isFalse();
    assertThat(item.object().path("spec")).isEqualTo(original.object().path("spec"));
  }

  @Test
  void servicesLoseAssignedAddressesAndAutoNodePortsButKeepNone() {
    RestoreObject lb = sanitized("Service-frontend-external");
    assertThat(lb.object().path("spec").has("clusterIP")).isFalse();
    assertThat(lb.object().path("spec").has("clusterIPs")).isFalse();
    assertThat(lb.object().at("/spec/ports/0").has("nodePort")).as("auto-assigned").isFalse();
    assertThat(lb.object().at("/spec/type").asText()).isEqualTo("LoadBalancer");

    RestoreObject headless = sanitized("Service-mysql");
    assertThat(headless.object().at("/spec/clusterIP").asText()).isEqualTo("None");
  }

  @Test
  void keepsNodePortsTheUserSetInTheLastAppliedConfigurationOrWhenAsked() {
    RestoreObject lb = TestObjects.served("Service-frontend-external");
    lb.metadata()
        .putObject("annotations")
        .put(
            Sanitizer.LAST_APPLIED,
            "{\"spec\":{\"type\":\"LoadBalancer\",\"ports\":[{\"name\":\"http\",\"port\":80,\"nodePort\":30830}],\"healthCheckNodePort\":31000}}");
    ((ObjectNode) lb.object().path("spec")).put("healthCheckNodePort", 31000);
    SANITIZER.sanitize(lb);
    assertThat(lb.object().at("/spec/ports/0/nodePort").asInt()).isEqualTo(30830);
    assertThat(lb.object().at("/spec/healthCheckNodePort").asInt()).isEqualTo(31000);
    assertThat(lb.metadata().path("annotations").has(Sanitizer.LAST_APPLIED)).as("kept").isTrue();

    RestoreObject asked = TestObjects.served("Service-frontend-external");
    new Sanitizer(Set.of(), true).sanitize(asked);
    assertThat(asked.object().at("/spec/ports/0/nodePort").asInt()).isEqualTo(30830);
  }

  @Test
  void podsLoseTheirNodeAndInjectedTokenVolumes() {
    RestoreObject pod = TestObjects.served("Pod-mysql-0");
    // what a scheduler and the ServiceAccount admission plugin add in a full cluster
    ObjectNode spec = (ObjectNode) pod.object().path("spec");
    spec.put("nodeName", "node-1");
    spec.withArray("volumes")
        .addObject()
        .put("name", "default-token-xqhzz")
        .putObject("secret")
        .put("secretName", "default-token-xqhzz");
    spec.withArray("containers")
        .forEach(
            c ->
                ((ObjectNode) c)
                    .withArray("volumeMounts")
                    .addObject()
                    .put("name", "default-token-xqhzz")
                    .put("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount"));
    SANITIZER.sanitize(pod);
    assertThat(pod.object().path("spec").has("nodeName")).isFalse();
    assertThat(names(pod.object().at("/spec/volumes")))
        .containsExactly("data", "conf", "config-map");
    assertThat(names(pod.object().at("/spec/containers/0/volumeMounts")))
        .doesNotContain("default-token-xqhzz")
        .isNotEmpty();
  }

  @Test
  void serviceAccountsLoseTheirGeneratedTokenSecrets() {
    RestoreObject account = TestObjects.served("ServiceAccount-default");
    assertThat(account.object().at("/secrets/0/name").asText()).startsWith("default-token-");
    ((ObjectNode) account.object())
        .withArray("secrets")
        .addObject()
        .put("name", "registry-credentials");
    SANITIZER.sanitize(account);
    assertThat(names(account.object().path("secrets"))).containsExactly("registry-credentials");
  }

  @Test
  void claimsLoseBindingAnnotationsAndTheVolumeUnlessItIsRestoredToo() {
    RestoreObject claim = TestObjects.served("PersistentVolumeClaim-data-mysql-0");
    ObjectNode annotations = claim.metadata().putObject("annotations");
    annotations
        .put("pv.kubernetes.io/bind-completed", "yes")
        .put("pv.kubernetes.io/bound-by-controller", "yes")
        .put("volume.beta.kubernetes.io/storage-provisioner", "csi.example.com")
        .put("team", "db");
    ((ObjectNode) claim.object().path("spec")).put("volumeName", "pvc-123");
    RestoreObject kept = TestObjects.of(claim.object().deepCopy());

    SANITIZER.sanitize(claim);
    new Sanitizer(Set.of("pvc-123"), false).sanitize(kept);

    assertThat(claim.metadata().path("annotations").fieldNames())
        .toIterable()
        .containsExactly("team");
    assertThat(claim.object().path("spec").has("volumeName")).isFalse();
    assertThat(kept.object().at("/spec/volumeName").asText()).isEqualTo("pvc-123");
  }

  @Test
  void volumesLoseTheUidOfTheirClaim() {
    RestoreObject volume =
        TestObjects.yaml(
            "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pvc-123, uid: a}\nspec: {claimRef: {kind: PersistentVolumeClaim, namespace: shop, name: data, uid: b, resourceVersion: '7'}}\n");
    SANITIZER.sanitize(volume);
    assertThat(volume.object().at("/spec/claimRef").toString())
        .isEqualTo("{\"kind\":\"PersistentVolumeClaim\",\"namespace\":\"shop\",\"name\":\"data\"}");
  }

  @Test
  void jobsLoseTheirGeneratedSelector() {
    RestoreObject job =
        TestObjects.yaml(
            """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: once, namespace: shop, labels: {controller-uid: u1, job-name: once}}
        spec:
          selector: {matchLabels: {controller-uid: u1}}
          template:
            metadata: {labels: {controller-uid: u1, job-name: once}}
            spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}
        """);
    SANITIZER.sanitize(job);
    assertThat(job.object().path("spec").has("selector")).isFalse();
    assertThat(job.object().at("/spec/template/metadata/labels").toString())
        .isEqualTo("{\"job-name\":\"once\"}");
  }

  @Test
  void customResourcesAndStatefulSetsKeepTheirSpec() {
    for (String served : List.of("Foo-example-foo", "StatefulSet-mysql")) {
      RestoreObject original = TestObjects.served(served);
      RestoreObject item = sanitized(served);
      assertThat(item.object().path("spec")).as(served).isEqualTo(original.object().path("spec"));
      assertThat(item.metadata().has("uid")).isFalse();
    }
  }
}
