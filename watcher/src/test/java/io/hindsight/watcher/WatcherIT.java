package io.hindsight.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.EventType;
import io.hindsight.schemas.avro.Origin;
import io.hindsight.schemas.sealing.SealingKeys;
import io.hindsight.schemas.sealing.SecretSealer;
import io.hindsight.testing.TestData;
import io.hindsight.testing.kafka.KafkaBroker;
import io.hindsight.testing.kafka.KafkaExtension;
import io.hindsight.testing.kube.KubeApiServer;
import io.hindsight.testing.kube.KubeApiServerExtension;
import io.hindsight.testing.registry.RegistryExtension;
import io.hindsight.testing.registry.RegistryServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The watcher against a real broker, registry and kube-apiserver. */
@ExtendWith({KafkaExtension.class, RegistryExtension.class, KubeApiServerExtension.class})
class WatcherIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;
  private WatcherFixture fixture;
  private KubernetesClient kube;
  private KubeApiServer server;

  @BeforeEach
  void setUp(KafkaBroker kafka, RegistryServer registry, KubeApiServer server) {
    this.fixture = new WatcherFixture(kafka, registry, server, dir);
    this.server = server;
    this.kube = server.client();
  }

  private static JsonNode json(ChangeEnvelope change) {
    try {
      return JSON.readTree(change.getObject());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ConfigMap configMap(String ns, String name, String value) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .addToLabels("app", "shop")
        .endMetadata()
        .addToData("k", value)
        .build();
  }

  private static Deployment deployment(String ns, String name, String image) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withNamespace(ns)
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
        .addNewContainer()
        .withName("web")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private void awaitLog(ChangeLog log, String what, java.util.function.Predicate<ChangeLog> done) {
    await()
        .alias(what)
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(300))
        .until(() -> done.test(log.poll()));
  }

  private static List<String> eventTypes(List<ChangeEnvelope> changes) {
    return changes.stream().map(c -> c.getEventType().name()).toList();
  }

  /** Consecutive changes of one object never repeat a state. */
  private static void assertNoRepeats(List<ChangeEnvelope> changes) {
    for (int i = 1; i < changes.size(); i++) {
      ChangeEnvelope a = changes.get(i - 1);
      ChangeEnvelope b = changes.get(i);
      if (b.getEventType() != EventType.DELETED && a.getEventType() != EventType.DELETED) {
        assertThat(b.getObjectHash())
            .as("change %d of %s/%s repeats the state before it", i, b.getNamespace(), b.getName())
            .isNotEqualTo(a.getObjectHash());
      }
    }
  }

  @Test
  void recordsEveryChangeOfConfigMapsDeploymentsSecretsAndCustomResourcesInOrder()
      throws Exception {
    String a = "capture-a";
    String b = "capture-b";
    fixture.namespace(a);
    fixture.namespace(b);
    try (Watcher watcher = fixture.start("capture", a, b);
        ChangeLog log = fixture.changeLog("capture")) {
      await().atMost(WAIT).until(watcher::ready);

      var cms = kube.configMaps().inNamespace(a);
      cms.resource(configMap(a, "settings", "v1")).create();
      cms.withName("settings").edit(c -> configMap(a, "settings", "v2"));
      cms.withName("settings").edit(c -> configMap(a, "settings", "v3"));
      cms.withName("settings").delete();
      kube.configMaps().inNamespace(b).resource(configMap(b, "settings", "other")).create();

      var secrets = kube.secrets().inNamespace(a);
      secrets
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("db")
                  .withNamespace(a)
                  .endMetadata()
                  .addToStringData("password", "first-password")
                  .build())
          .create();
      secrets
          .withName("db")
          .edit(
              s ->
                  new SecretBuilder(s)
                      .withData(
                          Map.of(
                              "password",
                              Base64.getEncoder()
                                  .encodeToString(
                                      "second-password".getBytes(StandardCharsets.UTF_8))))
                      .build());
      secrets.withName("db").delete();

      var deployments = kube.apps().deployments().inNamespace(b);
      deployments.resource(deployment(b, "web", "nginx:1.19")).create();
      deployments
          .withName("web")
          .edit(
              d ->
                  new DeploymentBuilder(d)
                      .editSpec()
                      .editTemplate()
                      .editSpec()
                      .editFirstContainer()
                      .withImage("nginx:1.20")
                      .endContainer()
                      .endSpec()
                      .endTemplate()
                      .endSpec()
                      .build());

      // a CRD created while the watcher runs starts being recorded
      CustomResourceDefinition crd;
      try (InputStream in = Files.newInputStream(TestData.path("sample-controller/crd.yaml"))) {
        crd = kube.apiextensions().v1().customResourceDefinitions().load(in).item();
      }
      kube.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
      awaitLog(
          log,
          "the Foo type starts being recorded",
          l ->
              l.gaps().stream()
                  .anyMatch(g -> g.getResource().equals("samplecontroller.k8s.io/v1alpha1/foos")));
      await().atMost(WAIT).until(watcher::ready);
      ResourceDefinitionContext foos =
          new ResourceDefinitionContext.Builder()
              .withGroup("samplecontroller.k8s.io")
              .withVersion("v1alpha1")
              .withKind("Foo")
              .withPlural("foos")
              .withNamespaced(true)
              .build();
      GenericKubernetesResource foo;
      try (InputStream in =
          Files.newInputStream(TestData.path("sample-controller/example-foo.yaml"))) {
        foo = kube.genericKubernetesResources(foos).load(in).item();
      }
      foo.getMetadata().setNamespace(b);
      var fooClient = kube.genericKubernetesResources(foos).inNamespace(b);
      fooClient.resource(foo).create();
      fooClient
          .withName("example-foo")
          .edit(
              f -> {
                ((Map<String, Object>) f.getAdditionalProperties().get("spec")).put("replicas", 2);
                return f;
              });
      fooClient.withName("example-foo").delete();
      deployments.withName("web").delete();

      awaitLog(
          log,
          "every change recorded",
          l ->
              l.changesOf("ConfigMap", a, "settings").size() == 4
                  && l.changesOf("Secret", a, "db").size() == 3
                  && l.changesOf("Foo", b, "example-foo").size() == 3
                  && !l.changesOf("Deployment", b, "web").isEmpty()
                  && l.changesOf("Deployment", b, "web")
                          .get(l.changesOf("Deployment", b, "web").size() - 1)
                          .getEventType()
                      == EventType.DELETED);
      assertStaysAt(
          log,
          10,
          l ->
              l.changesOf("ConfigMap", a, "settings").size()
                  + l.changesOf("Secret", a, "db").size()
                  + l.changesOf("Foo", b, "example-foo").size());

      List<ChangeEnvelope> settings = log.changesOf("ConfigMap", a, "settings");
      assertThat(eventTypes(settings)).containsExactly("ADDED", "MODIFIED", "MODIFIED", "DELETED");
      assertThat(settings)
          .extracting(c -> json(c).path("data").path("k").asText())
          .containsExactly("v1", "v2", "v3", "v3");
      assertThat(settings)
          .allSatisfy(
              c -> {
                assertThat(c.getOrigin()).isEqualTo(Origin.WATCH);
                assertThat(c.getLabels()).containsEntry("app", "shop");
                assertThat(c.getApiVersion()).isEqualTo("v1");
              });
      assertThat(log.changesOf("ConfigMap", b, "settings")).hasSize(1);
      assertThat(settings.get(0).getUid()).isEqualTo(settings.get(3).getUid()).isNotEmpty();

      List<ChangeEnvelope> db = log.changesOf("Secret", a, "db");
      assertThat(eventTypes(db)).containsExactly("ADDED", "MODIFIED", "DELETED");
      SecretSealer sealer = new SecretSealer(SealingKeys.load(dir.resolve("sealing.key"), false));
      List<String> passwords = new ArrayList<>();
      for (ChangeEnvelope c : db) {
        assertThat(c.getSealKeyId()).isEqualTo(sealer.activeKeyId());
        ObjectNode object = (ObjectNode) json(c);
        sealer.unseal(object);
        passwords.add(
            new String(
                Base64.getDecoder().decode(object.path("data").path("password").asText()),
                StandardCharsets.UTF_8));
      }
      assertThat(passwords).containsExactly("first-password", "second-password", "second-password");

      List<ChangeEnvelope> web = log.changesOf("Deployment", b, "web");
      assertThat(web.get(0).getEventType()).isEqualTo(EventType.ADDED);
      assertThat(web.get(0).getApiVersion()).isEqualTo("apps/v1");
      assertThat(web.subList(1, web.size() - 1))
          .allMatch(c -> c.getEventType() == EventType.MODIFIED);
      List<String> images = new ArrayList<>();
      for (ChangeEnvelope c : web) {
        String image = json(c).at("/spec/template/spec/containers/0/image").asText();
        if (images.isEmpty() || !images.get(images.size() - 1).equals(image)) {
          images.add(image);
        }
      }
      assertThat(images).containsExactly("nginx:1.19", "nginx:1.20");
      assertThat(web)
          .extracting(ChangeEnvelope::getGeneration)
          .filteredOn(g -> g != null)
          .isSorted();
      assertNoRepeats(web);

      List<ChangeEnvelope> fooChanges = log.changesOf("Foo", b, "example-foo");
      assertThat(eventTypes(fooChanges)).containsExactly("ADDED", "MODIFIED", "DELETED");
      assertThat(fooChanges)
          .extracting(c -> json(c).at("/spec/replicas").asInt())
          .containsExactly(1, 2, 2);
      assertThat(fooChanges.get(0).getApiVersion()).isEqualTo("samplecontroller.k8s.io/v1alpha1");

      // one namespace, one partition: the log of a namespace is totally ordered
      assertThat(
              log.entries().stream()
                  .filter(e -> e.key().getNamespace().equals(a))
                  .map(e -> e.partition())
                  .distinct())
          .hasSize(1);
      // heartbeats say every informer watched, and keep advancing
      assertThat(log.heartbeats()).anyMatch(h -> h.getSynced());
    } finally {
      kube.apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName("foos.samplecontroller.k8s.io")
          .delete();
    }
  }

  /**
   * Checks for a while that the log keeps showing exactly {@code expected} changes of the objects
   * {@code count} counts: nothing arrives late, nothing is published twice.
   */
  private static void assertStaysAt(ChangeLog log, int expected, ToIntFunction<ChangeLog> count) {
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(20))
        .until(() -> count.applyAsInt(log.poll()) == expected);
  }

  @Test
  void theTopicHoldsNoSecretValueAndUnchangedSecretsDedupe() throws Exception {
    String ns = "capture-secrets";
    fixture.namespace(ns);
    String plain = "s3cr3t-value-that-must-not-leak";
    String base64 = Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    try (Watcher watcher = startWithHttp("secrets", ns);
        ChangeLog log = fixture.changeLog("secrets")) {
      await().atMost(WAIT).until(watcher::ready);
      assertThat(http(watcher, "/readyz")).isEqualTo("ok\n");
      assertThat(http(watcher, "/healthz")).isEqualTo("ok\n");
      kube.secrets()
          .inNamespace(ns)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("api")
                  .withNamespace(ns)
                  .addToAnnotations(
                      "kubectl.kubernetes.io/last-applied-configuration",
                      "{\"stringData\":{\"token\":\"" + plain + "\"}}")
                  .endMetadata()
                  .addToStringData("token", plain)
                  .build())
          .create();
      // a label change: a new change, the same secret value, and still nothing in clear
      kube.secrets()
          .inNamespace(ns)
          .withName("api")
          .edit(
              s -> {
                s.getMetadata().setLabels(Map.of("rotated", "no"));
                return s;
              });
      awaitLog(log, "both changes recorded", l -> l.changesOf("Secret", ns, "api").size() == 2);
      assertThat(http(watcher, "/metrics"))
          .contains(
              "hindsight_watcher_changes_published_total{event=\"MODIFIED\",kind=\"Secret\"} 1.0")
          .contains("hindsight_watcher_lag_seconds")
          .doesNotContain(plain);

      for (ChangeLog.Entry entry : log.entries()) {
        String raw = new String(entry.raw(), StandardCharsets.ISO_8859_1);
        assertThat(raw).doesNotContain(plain).doesNotContain(base64);
      }
      List<ChangeEnvelope> api = log.changesOf("Secret", ns, "api");
      assertThat(api.get(0).getObjectHash()).isNotEqualTo(api.get(1).getObjectHash()).hasSize(64);
    }
    // a watcher started again over the same history publishes nothing for the unchanged Secret
    try (Watcher again = fixture.start("secrets", ns);
        ChangeLog log = fixture.changeLog("secrets")) {
      await().atMost(WAIT).until(again::ready);
      assertStaysAt(log, 2, l -> l.changesOf("Secret", ns, "api").size());
    }
  }

  @Test
  void objectsUpToEtcdsLimitRoundTripIntact() throws Exception {
    String ns = "capture-large";
    fixture.namespace(ns);
    // ConfigMaps stop at 1 MiB (API validation); a custom resource may reach etcd's 1.5 MiB
    String crd =
        """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"blobs.hindsight.test"},
         "spec":{"group":"hindsight.test","scope":"Namespaced",
          "names":{"kind":"Blob","plural":"blobs","singular":"blob"},
          "versions":[{"name":"v1","served":true,"storage":true,
            "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
        """;
    kube.apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(kube.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class))
        .serverSideApply();
    ResourceDefinitionContext blobs =
        new ResourceDefinitionContext.Builder()
            .withGroup("hindsight.test")
            .withVersion("v1")
            .withKind("Blob")
            .withPlural("blobs")
            .withNamespaced(true)
            .build();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> kube.genericKubernetesResources(blobs).inNamespace(ns).list() != null);
    String payload = "x".repeat(1400 * 1024);
    String configMapPayload = "y".repeat(1000 * 1024);
    try (Watcher watcher = fixture.start("large", ns);
        ChangeLog log = fixture.changeLog("large")) {
      await().atMost(WAIT).until(watcher::ready);
      GenericKubernetesResource blob = new GenericKubernetesResource();
      blob.setApiVersion("hindsight.test/v1");
      blob.setKind("Blob");
      blob.setMetadata(
          new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
              .withName("big")
              .withNamespace(ns)
              .build());
      blob.setAdditionalProperty("data", payload);
      kube.genericKubernetesResources(blobs).inNamespace(ns).resource(blob).create();
      kube.configMaps().inNamespace(ns).resource(configMap(ns, "big", configMapPayload)).create();

      awaitLog(
          log,
          "both large objects recorded",
          l ->
              l.changesOf("Blob", ns, "big").size() == 1
                  && l.changesOf("ConfigMap", ns, "big").size() == 1);
      assertThat(json(log.changesOf("Blob", ns, "big").get(0)).path("data").asText())
          .isEqualTo(payload);
      assertThat(json(log.changesOf("ConfigMap", ns, "big").get(0)).path("data").path("k").asText())
          .isEqualTo(configMapPayload);
    } finally {
      kube.apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName("blobs.hindsight.test")
          .delete();
    }
  }

  private Watcher startWithHttp(String cluster, String... namespaces) {
    Map<String, String> config = new java.util.HashMap<>(fixture.config(cluster, namespaces));
    config.put(WatcherConfig.HTTP_PORT, "0");
    return Watcher.start(new WatcherConfig(config));
  }

  private static String http(Watcher watcher, String path) throws Exception {
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + watcher.httpPort() + path))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    return response.body();
  }
}
