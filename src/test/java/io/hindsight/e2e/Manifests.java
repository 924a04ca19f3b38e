package io.hindsight.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.hindsight.testing.TestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The shared real-world manifests ({@code testdata/}) put into a cluster as a user would, and the
 * edits users make afterwards (image bumps, scaling, ConfigMap and Secret edits), each through the
 * API the way {@code kubectl} does it.
 */
final class Manifests {
  static final ResourceDefinitionContext FOO =
      new ResourceDefinitionContext.Builder()
          .withGroup("samplecontroller.k8s.io")
          .withVersion("v1alpha1")
          .withKind("Foo")
          .withPlural("foos")
          .withNamespaced(true)
          .build();

  /** The cluster-scoped objects {@link #all} creates, as {@link ServerObjects} keys them. */
  static final List<String> CLUSTER_OBJECTS =
      List.of(
          "CustomResourceDefinition.apiextensions.k8s.io/foos.samplecontroller.k8s.io",
          "ClusterRole.rbac.authorization.k8s.io/kube-state-metrics",
          "ClusterRoleBinding.rbac.authorization.k8s.io/kube-state-metrics");

  private Manifests() {}

  static void namespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  /**
   * Every manifest set of the shared test data in {@code ns}: Online Boutique v0.7.0, MySQL
   * (ConfigMap, Services, StatefulSet), sample-controller's CRD and Foo, kube-state-metrics moved
   * from kube-system to {@code ns}; its ClusterRole and ClusterRoleBinding only with {@code
   * clusterRbac} (cluster-scoped names clash between namespaces). Plus what every application has
   * beside its manifests: a Secret and a ConfigMap of its own.
   */
  static void all(KubernetesClient client, String ns, boolean clusterRbac) {
    namespace(client, ns);
    apply(client, "online-boutique/v0.7.0.yaml", ns, Map.of());
    apply(client, "mysql/mysql-configmap.yaml", ns, Map.of());
    apply(client, "mysql/mysql-services.yaml", ns, Map.of());
    apply(client, "mysql/mysql-statefulset.yaml", ns, Map.of());
    if (client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("foos.samplecontroller.k8s.io")
            .get()
        == null) {
      apply(client, "sample-controller/crd.yaml", null, Map.of());
    }
    await("Foo served")
        .atMost(Pipeline.WAIT)
        .ignoreExceptions()
        .until(() -> !apply(client, "sample-controller/example-foo.yaml", ns, Map.of()).isEmpty());
    Map<String, String> toNs = Map.of("namespace: kube-system", "namespace: " + ns);
    for (String file : List.of("service-account", "deployment", "service")) {
      apply(client, "kube-state-metrics/" + file + ".yaml", ns, toNs);
    }
    if (clusterRbac) {
      apply(client, "kube-state-metrics/cluster-role.yaml", null, Map.of());
      apply(client, "kube-state-metrics/cluster-role-binding.yaml", null, toNs);
    }
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("db")
                .addToLabels("app", "mysql")
                .endMetadata()
                .addToData("password", base64("s3cret"))
                .build())
        .create();
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .endMetadata()
                .addToData("currency", "EUR")
                .addToData("theme", "light")
                .build())
        .create();
    long deployments =
        client.apps().deployments().inNamespace(ns).list().getItems().stream().count();
    await("ReplicaSets of every Deployment in " + ns)
        .atMost(Pipeline.WAIT)
        .until(
            () ->
                client.apps().replicaSets().inNamespace(ns).list().getItems().size()
                    >= deployments);
  }

  /** Creates every document of a test-data manifest in {@code ns} (null: cluster-scoped). */
  static List<HasMetadata> apply(
      KubernetesClient client, String manifest, String ns, Map<String, String> replace) {
    try {
      String text = Files.readString(TestData.path(manifest));
      for (var e : replace.entrySet()) {
        text = text.replace(e.getKey(), e.getValue());
      }
      List<HasMetadata> created = new ArrayList<>();
      for (HasMetadata item :
          client.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).items()) {
        var resource = ns == null ? client.resource(item) : client.resource(item).inNamespace(ns);
        // created as kubectl create does: 1.20's apply refuses Service ports without a protocol
        created.add(resource.create());
      }
      return created;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates the one document of a test-data manifest that has {@code kind} and {@code name}. */
  static HasMetadata createOne(
      KubernetesClient client, String manifest, String ns, String kind, String name) {
    try {
      String text = Files.readString(TestData.path(manifest));
      HasMetadata item =
          client
              .load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))
              .items()
              .stream()
              .filter(i -> i.getKind().equals(kind) && i.getMetadata().getName().equals(name))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalArgumentException(kind + "/" + name + " not in " + manifest));
      return client.resource(item).inNamespace(ns).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code kubectl set image deployment/NAME CONTAINER=IMAGE} (first container). */
  static void setImage(KubernetesClient client, String ns, String deployment, String image) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(deployment)
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\""
                + image
                + "\"}]");
  }

  /** {@code kubectl scale deployment/NAME --replicas=N}. */
  static void scale(KubernetesClient client, String ns, String deployment, int replicas) {
    client.apps().deployments().inNamespace(ns).withName(deployment).scale(replicas);
  }

  /** {@code kubectl edit configmap NAME}: sets (or, with a null value, removes) data keys. */
  static void editConfigMap(
      KubernetesClient client, String ns, String name, Map<String, String> data) {
    client
        .configMaps()
        .inNamespace(ns)
        .withName(name)
        .edit(
            cm -> {
              data.forEach(
                  (k, v) -> {
                    if (v == null) {
                      cm.getData().remove(k);
                    } else {
                      cm.getData().put(k, v);
                    }
                  });
              return cm;
            });
  }

  /** {@code kubectl edit secret NAME}: sets data keys (clear text, encoded here). */
  static void editSecret(
      KubernetesClient client, String ns, String name, Map<String, String> data) {
    client
        .secrets()
        .inNamespace(ns)
        .withName(name)
        .edit(
            s -> {
              data.forEach((k, v) -> s.getData().put(k, base64(v)));
              return s;
            });
  }

  static void configMap(KubernetesClient client, String ns, String name, Map<String, String> data) {
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToData(data)
                .build())
        .create();
  }

  /** A Deployment of its own (not from the test data): nginx, one replica. */
  static Deployment deployment(KubernetesClient client, String ns, String name) {
    return client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withImage("nginx:1.25")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
  }

  /** Sets {@code spec.replicas} of a Foo (a merge patch, as {@code kubectl patch --type merge}). */
  static void patchFoo(KubernetesClient client, String ns, String name, int replicas) {
    client
        .genericKubernetesResources(FOO)
        .inNamespace(ns)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
  }

  static void foo(KubernetesClient client, String ns, String name, String deploymentName) {
    client
        .genericKubernetesResources(FOO)
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion("samplecontroller.k8s.io/v1alpha1")
                .withKind("Foo")
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToAdditionalProperties(
                    "spec", Map.of("deploymentName", deploymentName, "replicas", 2))
                .build())
        .create();
  }

  /** The image of a Deployment's first container, from its served JSON. */
  static String image(JsonNode deployment) {
    return deployment
        .path("spec")
        .path("template")
        .path("spec")
        .path("containers")
        .path(0)
        .path("image")
        .asText();
  }
}
