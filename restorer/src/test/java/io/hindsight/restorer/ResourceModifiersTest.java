package io.hindsight.restorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceModifiersTest {
  private static final String PVC =
      """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: mysql-data, namespace: shop, labels: {foo: bar, tier: db}}
      spec: {storageClassName: standard, resources: {requests: {storage: 1Gi}}}
      """;

  private static RestoreObject deployment() {
    return TestObjects.yaml(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: test-web, namespace: shop, labels: {app: web}}
        spec:
          replicas: 3
          template:
            spec:
              containers: [{name: nginx, image: "nginx:1.19"}]
        """);
  }

  @Test
  void parsesVelerosExampleAndAppliesItsJsonPatch() {
    ResourceModifiers modifiers =
        ResourceModifiers.parse(
            """
        version: v1
        resourceModifierRules:
        - conditions:
             groupResource: persistentvolumeclaims
             resourceNameRegex: "^mysql.*$"
             namespaces: [bar, shop]
             labelSelector:
                matchLabels: {foo: bar}
          patches:
          - operation: replace
            path: "/spec/storageClassName"
            value: "premium"
          - operation: remove
            path: "/metadata/labels/tier"
        """);
    RestoreObject pvc = TestObjects.yaml(PVC);

    assertThat(modifiers.apply(pvc, "persistentvolumeclaims", "shop")).containsExactly(1);
    assertThat(pvc.object().at("/spec/storageClassName").asText()).isEqualTo("premium");
    assertThat(pvc.object().at("/metadata/labels").has("tier")).isFalse();
  }

  @Test
  void conditionsMustAllHold() {
    String rule =
        """
        version: v1
        resourceModifierRules:
        - conditions: {groupResource: "%s", resourceNameRegex: "%s", namespaces: [%s], labelSelector: {matchExpressions: [%s]}}
          patches: [{operation: replace, path: /spec/replicas, value: "1"}]
        """;
    RestoreObject d = deployment();
    assertThat(
            ResourceModifiers.parse(
                    rule.formatted(
                        "*.apps", "^test-.*$", "shop", "{key: app, operator: In, values: [web]}"))
                .apply(d, "deployments.apps", "shop"))
        .containsExactly(1);
    assertThat(d.object().at("/spec/replicas").isInt())
        .as("\"1\" is JSON, so a number, as in Velero")
        .isTrue();
    assertThat(
            ResourceModifiers.parse(
                    rule.formatted("pods", "^test-.*$", "shop", "{key: app, operator: Exists}"))
                .apply(deployment(), "deployments.apps", "shop"))
        .isEmpty();
    assertThat(
            ResourceModifiers.parse(
                    rule.formatted(
                        "deployments.apps", "^prod-.*$", "shop", "{key: app, operator: Exists}"))
                .apply(deployment(), "deployments.apps", "shop"))
        .isEmpty();
    assertThat(
            ResourceModifiers.parse(
                    rule.formatted(
                        "deployments.apps", ".*", "other", "{key: app, operator: Exists}"))
                .apply(deployment(), "deployments.apps", "shop"))
        .as("namespaces match the namespace at T")
        .isEmpty();
    assertThat(
            ResourceModifiers.parse(
                    rule.formatted(
                        "deployments.apps",
                        ".*",
                        "shop",
                        "{key: app, operator: NotIn, values: [web]}"))
                .apply(deployment(), "deployments.apps", "shop"))
        .isEmpty();
    assertThat(
            ResourceModifiers.parse(
                    rule.formatted(
                        "deployments.apps", ".*", "shop", "{key: app, operator: DoesNotExist}"))
                .apply(deployment(), "deployments.apps", "shop"))
        .isEmpty();
  }

  @Test
  void matchesAndTestOperationsGateARule() {
    RestoreObject d = deployment();
    ResourceModifiers modifiers =
        ResourceModifiers.parse(
            """
        version: v1
        resourceModifierRules:
        - conditions:
            groupKind: deployments.apps
            matches: [{path: /spec/template/spec/containers/0/image, value: "nginx:1.19"}]
          patches:
          - {operation: test, path: /spec/replicas, value: "5"}
          - {operation: replace, path: /spec/replicas, value: "1"}
        - conditions: {groupResource: deployments.apps, matches: [{path: /spec/replicas, value: "3"}]}
          patches:
          - operation: add
            path: /spec/template/spec/containers/1
            value: "{\\"name\\": \\"sidecar\\", \\"image\\": \\"envoy:1\\"}"
          - {operation: copy, from: /metadata/labels/app, path: /metadata/labels/copied}
        """);

    assertThat(modifiers.apply(d, "deployments.apps", "shop")).containsExactly(1, 2);
    assertThat(d.object().at("/spec/replicas").asInt())
        .as("a failing test skips the rule's patches")
        .isEqualTo(3);
    assertThat(d.object().at("/spec/template/spec/containers/1/image").asText())
        .isEqualTo("envoy:1");
    assertThat(d.object().at("/metadata/labels/copied").asText()).isEqualTo("web");
  }

  @Test
  void appliesMergePatches() {
    RestoreObject d = deployment();
    ResourceModifiers.parse(
            """
        version: v1
        resourceModifierRules:
        - conditions: {groupResource: deployments.apps}
          mergePatches:
          - patchData: |
              metadata:
                labels: {app: null, team: shop}
              spec: {replicas: 0}
        """)
        .apply(d, "deployments.apps", "shop");

    assertThat(d.object().at("/metadata/labels").toString()).isEqualTo("{\"team\":\"shop\"}");
    assertThat(d.object().at("/spec/replicas").asInt()).isZero();
    assertThat(d.object().at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("nginx:1.19");
  }

  @Test
  void aPatchThatDoesNotFitFailsThatObjectWithTheRuleNumber() {
    ResourceModifiers modifiers =
        ResourceModifiers.parse(
            "version: v1\nresourceModifierRules:\n- conditions: {groupResource: '*'}\n  patches: [{operation: replace, path: /spec/missing/x, value: '1'}]\n");
    assertThatThrownBy(() -> modifiers.apply(deployment(), "deployments.apps", "shop"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("resource modifier rule 1:");
  }

  @Test
  void refusesWhatItDoesNotSupportWithAReason(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> ResourceModifiers.parse("version: v2\nresourceModifierRules: []\n"))
        .hasMessageContaining("version must be v1");
    assertThatThrownBy(
            () ->
                ResourceModifiers.parse(
                    "version: v1\nresourceModifierRules:\n- conditions: {groupResource: pods}\n  strategicPatches: [{patchData: '{}'}]\n"))
        .hasMessageContaining("rule 1: strategicPatches are not supported")
        .hasMessageContaining("mergePatches");
    assertThatThrownBy(
            () ->
                ResourceModifiers.parse("version: v1\nresourceModifierRules:\n- conditions: {}\n"))
        .hasMessageContaining("conditions.groupResource is required");
    assertThatThrownBy(
            () ->
                ResourceModifiers.parse(
                    "version: v1\nresourceModifierRules:\n- conditions: {groupResource: pods, kinds: [x]}\n"))
        .hasMessageContaining("unknown field 'kinds'");
    assertThatThrownBy(
            () ->
                ResourceModifiers.parse(
                    "version: v1\nresourceModifierRules:\n- conditions: {groupResource: pods}\n  patches: [{operation: upsert, path: /a}]\n"))
        .hasMessageContaining("operation 'upsert'");
    assertThatThrownBy(
            () ->
                ResourceModifiers.parse(
                    "version: v1\nresourceModifierRules:\n- conditions: {groupResource: pods, resourceNameRegex: '('}\n"))
        .hasMessageContaining("resourceNameRegex is not a regular expression");
    assertThatThrownBy(() -> ResourceModifiers.parse(": : :"))
        .hasMessageContaining("not valid YAML");
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> ResourceModifiers.load(missing))
        .hasMessageStartingWith("--modifiers " + missing + ": cannot read");
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "version: v3\n");
    assertThatThrownBy(() -> ResourceModifiers.load(bad))
        .hasMessage("--modifiers " + bad + ": version must be v1 (got 'v3')");
  }
}
