package io.hindsight.restorer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Namespace mapping with reference rewriting, storage class and image registry mapping. */
class TransformTest {
  @Test
  void mapsTheNamespaceAndRewritesWhatRefersToIt() {
    NamespaceMapper mapper = new NamespaceMapper("shop", "shop-copy");
    RestoreObject binding =
        TestObjects.yaml(
            """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: kube-state-metrics}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kube-state-metrics}
        subjects:
        - {kind: ServiceAccount, name: kube-state-metrics, namespace: shop}
        - {kind: ServiceAccount, name: other, namespace: elsewhere}
        - {kind: User, name: "system:serviceaccount:shop:ci"}
        - {kind: Group, name: "system:serviceaccounts:shop"}
        """);
    RestoreObject deployment =
        TestObjects.yaml(
            """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          template:
            spec:
              containers:
              - name: web
                env:
                - {name: CART, value: "cartservice.shop.svc.cluster.local:7070"}
                - {name: DB, value: "mysql-0.mysql.shop.svc:3306,redis.shop.svc"}
                - {name: SHORT, value: "cartservice:7070"}
                - {name: OTHER, value: "api.shopping.svc"}
        """);
    RestoreObject namespace =
        TestObjects.yaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
    RestoreObject volume =
        TestObjects.yaml(
            "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-1}\nspec: {claimRef: {namespace: shop, name: data}}\n");

    for (RestoreObject o : new RestoreObject[] {binding, deployment, namespace, volume}) {
      mapper.map(o);
    }

    assertThat(binding.object().at("/subjects/0/namespace").asText()).isEqualTo("shop-copy");
    assertThat(binding.object().at("/subjects/1/namespace").asText()).isEqualTo("elsewhere");
    assertThat(binding.object().at("/subjects/2/name").asText())
        .isEqualTo("system:serviceaccount:shop-copy:ci");
    assertThat(binding.object().at("/subjects/3/name").asText())
        .isEqualTo("system:serviceaccounts:shop-copy");
    assertThat(deployment.namespace()).isEqualTo("shop-copy");
    var env = deployment.object().at("/spec/template/spec/containers/0/env");
    assertThat(env.get(0).path("value").asText())
        .isEqualTo("cartservice.shop-copy.svc.cluster.local:7070");
    assertThat(env.get(1).path("value").asText())
        .isEqualTo("mysql-0.mysql.shop-copy.svc:3306,redis.shop-copy.svc");
    assertThat(env.get(2).path("value").asText()).isEqualTo("cartservice:7070");
    assertThat(env.get(3).path("value").asText()).isEqualTo("api.shopping.svc");
    assertThat(namespace.name()).isEqualTo("shop-copy");
    assertThat(volume.object().at("/spec/claimRef/namespace").asText()).isEqualTo("shop-copy");
  }

  @Test
  void theSameNamespaceChangesNothing() {
    RestoreObject o =
        TestObjects.yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n");
    String before = o.object().toString();
    new NamespaceMapper("shop", "shop").map(o);
    assertThat(o.object().toString()).isEqualTo(before);
  }

  @Test
  void mapsStorageClassesOfClaimsVolumesAndClaimTemplates() {
    StorageClassMapper mapper = new StorageClassMapper(Map.of("standard", "fast", "old", "new"));
    RestoreObject claim =
        TestObjects.yaml(
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: d, namespace: s, annotations: {volume.beta.kubernetes.io/storage-class: old}}\nspec: {storageClassName: standard}\n");
    RestoreObject set =
        TestObjects.yaml(
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: mysql, namespace: s}\nspec:\n  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec: {storageClassName: standard}\n  - metadata: {name: logs}\n    spec: {storageClassName: other}\n");
    mapper.map(claim);
    mapper.map(set);
    assertThat(claim.object().at("/spec/storageClassName").asText()).isEqualTo("fast");
    assertThat(
            claim
                .object()
                .at("/metadata/annotations")
                .get(StorageClassMapper.LEGACY_ANNOTATION)
                .asText())
        .isEqualTo("new");
    assertThat(set.object().at("/spec/volumeClaimTemplates/0/spec/storageClassName").asText())
        .isEqualTo("fast");
    assertThat(set.object().at("/spec/volumeClaimTemplates/1/spec/storageClassName").asText())
        .isEqualTo("other");
  }

  @Test
  void mapsImageRegistriesLongestPrefixFirstDockerHubImplicit() {
    ImageRegistryMapper mapper =
        new ImageRegistryMapper(
            Map.of(
                "gcr.io",
                "mirror.local/gcr",
                "gcr.io/google-samples/",
                "mirror.local/samples",
                "docker.io",
                "hub.local"));
    assertThat(mapper.map("gcr.io/google-samples/microservices-demo/frontend:v0.7.0"))
        .isEqualTo("mirror.local/samples/microservices-demo/frontend:v0.7.0");
    assertThat(mapper.map("gcr.io/other/x:1")).isEqualTo("mirror.local/gcr/other/x:1");
    assertThat(mapper.map("redis:alpine")).isEqualTo("hub.local/library/redis:alpine");
    assertThat(mapper.map("bitnami/mysql:8")).isEqualTo("hub.local/bitnami/mysql:8");
    assertThat(mapper.map("localhost:5000/app:1")).isEqualTo("localhost:5000/app:1");
    assertThat(mapper.map("gcr.iox/app:1")).isEqualTo("gcr.iox/app:1");
    RestoreObject job =
        TestObjects.yaml(
            "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: j, namespace: s}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers: [{name: i, image: busybox}]\n          containers: [{name: c, image: 'gcr.io/a/b:1'}]\n");
    mapper.map(job);
    assertThat(
            job.object().at("/spec/jobTemplate/spec/template/spec/initContainers/0/image").asText())
        .isEqualTo("hub.local/library/busybox");
    assertThat(job.object().at("/spec/jobTemplate/spec/template/spec/containers/0/image").asText())
        .isEqualTo("mirror.local/gcr/a/b:1");
  }
}
