package io.hindsight.restorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.hindsight.history.ObjectId;
import io.hindsight.history.StoredObject;
import io.hindsight.restorer.RestoreException.Problem;
import io.hindsight.restorer.RestoreResult.Status;
import io.hindsight.schemas.sealing.SealingKeys;
import io.hindsight.schemas.sealing.SecretSealer;
import io.hindsight.testing.kube.KubeApiServer;
import io.hindsight.testing.kube.KubeApiServerExtension;
import io.hindsight.testing.kube.ServedComparison;
import io.hindsight.testing.kube.ServedTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restorer against a real kube-apiserver 1.20.2 with etcd and kube-controller-manager. The
 * "state at T" is what the server held after the real manifests were applied, recorded as the
 * watcher records it ({@link ServedState}).
 */
@ExtendWith(KubeApiServerExtension.class)
class RestorerIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  @TempDir static Path dir;
  private static Path keyFile;
  private static SecretSealer sealer;

  @BeforeAll
  static void keys() {
    keyFile = dir.resolve("sealing.key");
    sealer = new SecretSealer(SealingKeys.load(keyFile, true));
  }

  private static Restorer restorer(ServedState state, KubernetesClient client) {
    return new Restorer(state, client, Clock.systemUTC());
  }

  private static RestoreRequest.Builder request(String ns, ServedState state) {
    return RestoreRequest.builder(ns, state.at()).sealingKeyFile(keyFile);
  }

  /** Online Boutique v0.7.0 in {@code ns}, with its ReplicaSets and Pods made by the controller. */
  private static List<HasMetadata> boutique(KubernetesClient client, String ns) {
    ServedState.namespace(client, ns);
    List<HasMetadata> applied = ServedState.apply(client, "online-boutique/v0.7.0.yaml", ns);
    long deployments = applied.stream().filter(o -> o instanceof Deployment).count();
    await("ReplicaSets in " + ns)
        .atMost(WAIT)
        .until(
            () ->
                client.apps().replicaSets().inNamespace(ns).list().getItems().size()
                    == deployments);
    return applied;
  }

  private static GenericKubernetesResource live(
      KubernetesClient client, StoredObject recorded, String ns) {
    String apiVersion = recorded.apiVersion();
    var context =
        new ResourceDefinitionContext.Builder()
            .withGroup(recorded.id().apiGroup())
            .withVersion(apiVersion.substring(apiVersion.indexOf('/') + 1))
            .withKind(recorded.id().kind())
            .withPlural(ResourceCatalog.guessPlural(recorded.id().kind()))
            .withNamespaced(!recorded.id().namespace().isEmpty())
            .build();
    var op = client.genericKubernetesResources(context);
    return ns.isEmpty()
        ? op.withName(recorded.id().name()).get()
        : op.inNamespace(ns).withName(recorded.id().name()).get();
  }

  /** Every recorded object the result reports as restored equals what the server now holds. */
  private static void assertRestoredAsRecorded(
      KubernetesClient client, ServedState state, RestoreResult result, String from, String to) {
    List<String> problems = new ArrayList<>();
    int compared = 0;
    for (ObjectResult o : result.objects()) {
      if (!List.of(Outcome.CREATED, Outcome.UPDATED, Outcome.REPLACED).contains(o.outcome())
          || o.source().startsWith("Namespace")) {
        continue;
      }
      StoredObject recorded =
          state.objects().stream()
              .filter(s -> s.id().toString().equals(o.source()))
              .findFirst()
              .orElseThrow();
      if (recorded.sealed()) {
        continue; // compared in clear by the Secret test
      }
      GenericKubernetesResource now =
          live(client, recorded, recorded.id().namespace().isEmpty() ? "" : to);
      assertThat(now).as("%s restored as %s", recorded.id(), o).isNotNull();
      List<String> diff =
          ServedComparison.differences(
              JsonTrees.parse(recorded.json()), ServedState.JSON.valueToTree(now), from, to);
      compared++;
      diff.forEach(d -> problems.add(recorded.id() + " " + d));
    }
    assertThat(compared).as("objects compared").isGreaterThan(0);
    assertThat(problems)
        .as("differences between what the server held at T and the restored objects")
        .isEmpty();
  }

  /** kind/name → resourceVersion of everything in the namespace, and the namespaces. */
  private static Map<String, String> snapshot(KubernetesClient client, String... namespaces) {
    Map<String, String> versions = new TreeMap<>();
    client
        .namespaces()
        .list()
        .getItems()
        .forEach(
            n ->
                versions.put(
                    "Namespace/" + n.getMetadata().getName(),
                    n.getMetadata().getResourceVersion()));
    for (ResourceDefinitionContext type : ServedTypes.listable(client)) {
      if (!type.isNamespaceScoped() || type.getKind().equals("Event")) {
        continue;
      }
      for (String ns : namespaces) {
        try {
          client
              .genericKubernetesResources(type)
              .inNamespace(ns)
              .list()
              .getItems()
              .forEach(
                  o ->
                      versions.put(
                          type.getKind() + "/" + ns + "/" + o.getMetadata().getName(),
                          o.getMetadata().getResourceVersion()));
        } catch (RuntimeException e) {
          // not listable
        }
      }
    }
    return versions;
  }

  @Test
  void restoresEverythingIntoAnotherNamespaceAsTheServerHeldIt(KubernetesClient client)
      throws Exception {
    String src = "shop-src";
    String dst = "shop-dst";
    boutique(client, src);
    ServedState.apply(client, "mysql/mysql-configmap.yaml", src);
    ServedState.apply(client, "mysql/mysql-services.yaml", src);
    ServedState.apply(client, "mysql/mysql-statefulset.yaml", src);
    ServedState.apply(client, "sample-controller/crd.yaml", null);
    await("Foo served")
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> client.getApiResources("samplecontroller.k8s.io/v1alpha1") != null);
    await("Foo applied")
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () -> !ServedState.apply(client, "sample-controller/example-foo.yaml", src).isEmpty());
    Map<String, String> toSrc = Map.of("namespace: kube-system", "namespace: " + src);
    for (String file : List.of("service-account", "deployment", "service")) {
      ServedState.apply(client, "kube-state-metrics/" + file + ".yaml", src, toSrc);
    }
    ServedState.apply(client, "kube-state-metrics/cluster-role.yaml", null);
    ServedState.apply(client, "kube-state-metrics/cluster-role-binding.yaml", null, toSrc);
    client
        .secrets()
        .inNamespace(src)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("db")
                .endMetadata()
                .addToData(
                    "password",
                    Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8)))
                .build())
        .create();
    await("mysql-0 and its claim")
        .atMost(WAIT)
        .until(
            () ->
                client.pods().inNamespace(src).withName("mysql-0").get() != null
                    && client
                            .persistentVolumeClaims()
                            .inNamespace(src)
                            .withName("data-mysql-0")
                            .get()
                        != null);
    ServedState state = ServedState.record(client, sealer, src);
    Path served = Path.of("target/served-objects");
    for (StoredObject o : state.objects()) {
      if (o.id().namespace().equals(src)) {
        ServedState.write(served, o.id().kind() + "-" + o.id().name() + ".json", o.json());
      }
    }
    // the target lacks the cluster-scoped objects, as another cluster would: the CRD, cluster RBAC
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName("foos.samplecontroller.k8s.io")
        .delete();
    client.rbac().clusterRoleBindings().withName("kube-state-metrics").delete();
    client.rbac().clusterRoles().withName("kube-state-metrics").delete();
    await("CRD gone")
        .atMost(WAIT)
        .until(
            () ->
                client
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName("foos.samplecontroller.k8s.io")
                        .get()
                    == null);

    RestoreResult result =
        restorer(state, client)
            .restore(request(src, state).toNamespace(dst).build(), ProgressListener.NONE);

    assertThat(result.status())
        .as(ReportRenderer.render(result, ReportRenderer.Format.TEXT))
        .isEqualTo(Status.COMPLETED);
    assertRestoredAsRecorded(client, state, result, src, dst);
    assertThat(result.with(Outcome.CREATED))
        .extracting(ObjectResult::kind)
        .contains(
            "Deployment.apps",
            "Service",
            "StatefulSet.apps",
            "ConfigMap",
            "PersistentVolumeClaim",
            "Foo.samplecontroller.k8s.io",
            "CustomResourceDefinition.apiextensions.k8s.io",
            "ClusterRole.rbac.authorization.k8s.io",
            "ClusterRoleBinding.rbac.authorization.k8s.io");
    assertThat(result.with(Outcome.SKIPPED))
        .filteredOn(o -> o.kind().equals("ReplicaSet.apps") || o.kind().equals("Pod"))
        .isNotEmpty()
        .allSatisfy(o -> assertThat(o.reason()).startsWith("left to its controller"));
    assertThat(result.with(Outcome.SKIPPED))
        .extracting(ObjectResult::kind)
        .doesNotContain("Deployment.apps", "Service");
    // the controller-manager recreates the ReplicaSets and Pods of the restored Deployments
    List<Deployment> deployments = client.apps().deployments().inNamespace(dst).list().getItems();
    assertThat(deployments).hasSize(13); // Online Boutique's 12 and kube-state-metrics
    await("ReplicaSets and Pods of the restored Deployments")
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var sets = client.apps().replicaSets().inNamespace(dst).list().getItems();
              assertThat(sets)
                  .hasSize(13)
                  .allSatisfy(
                      rs ->
                          assertThat(rs.getMetadata().getOwnerReferences().get(0).getUid())
                              .isIn(
                                  deployments.stream()
                                      .map(d -> d.getMetadata().getUid())
                                      .toList()));
              assertThat(client.pods().inNamespace(dst).list().getItems())
                  .hasSizeGreaterThanOrEqualTo(13);
            });
    // references to the namespace were rewritten; the Secret was unsealed
    assertThat(
            client
                .rbac()
                .clusterRoleBindings()
                .withName("kube-state-metrics")
                .get()
                .getSubjects()
                .get(0)
                .getNamespace())
        .isEqualTo(dst);
    assertThat(client.secrets().inNamespace(dst).withName("db").get().getData().get("password"))
        .isEqualTo(Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8)));
    // the auto-assigned nodePort of frontend-external was not carried over; the server assigned one
    assertThat(
            client
                .services()
                .inNamespace(dst)
                .withName("frontend-external")
                .get()
                .getSpec()
                .getPorts()
                .get(0)
                .getNodePort())
        .isNotNull();
  }

  @Test
  void restoresInPlaceWithPruneToTheRecordedState(KubernetesClient client) {
    String ns = "inplace";
    boutique(client, ns);
    ServedState state = ServedState.record(client, sealer, ns);
    // changes after T: an image bump and a scale by other managers, a deletion, new objects
    setImage(client, ns, "frontend", "gcr.io/google-samples/microservices-demo/frontend:v9.9.9");
    client.apps().deployments().inNamespace(ns).withName("cartservice").scale(3);
    client.services().inNamespace(ns).withName("emailservice").delete();
    client.apps().deployments().inNamespace(ns).withName("adservice").delete();
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("extra")
                .endMetadata()
                .addToData("k", "v")
                .build())
        .create();
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("newcomer")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", "newcomer")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "newcomer")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("nginx")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();

    RestoreResult result =
        restorer(state, client)
            .restore(
                request(ns, state).existingPolicy(ExistingPolicy.UPDATE).prune().build(),
                ProgressListener.NONE);

    assertThat(result.status())
        .as(ReportRenderer.render(result, ReportRenderer.Format.TEXT))
        .isEqualTo(Status.COMPLETED);
    assertRestoredAsRecorded(client, state, result, ns, ns);
    assertThat(result.with(Outcome.DELETED))
        .extracting(o -> o.kind() + "/" + o.name())
        .containsExactlyInAnyOrder("ConfigMap/extra", "Deployment.apps/newcomer");
    assertThat(result.with(Outcome.CREATED))
        .extracting(o -> o.kind() + "/" + o.name())
        .containsExactlyInAnyOrder("Service/emailservice", "Deployment.apps/adservice");
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("frontend")
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage())
        .isEqualTo("gcr.io/google-samples/microservices-demo/frontend:v0.7.0");
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("cartservice")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(1);
    await("pruned objects gone")
        .atMost(WAIT)
        .until(
            () ->
                client.configMaps().inNamespace(ns).withName("extra").get() == null
                    && client.apps().deployments().inNamespace(ns).withName("newcomer").get()
                        == null);
    // what existed at T and what the namespace holds now are the same objects (owned ones aside)
    assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).hasSize(12);
    assertThat(client.services().inNamespace(ns).list().getItems()).hasSize(12);
  }

  @Test
  void dryRunWritesNothingAndShowsThePlanAndTheDiff(KubernetesClient client) {
    String ns = "dry";
    boutique(client, ns);
    ServedState state = ServedState.record(client, sealer, ns);
    setImage(client, ns, "frontend", "frontend:v9");
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder().withNewMetadata().withName("after-t").endMetadata().build())
        .create();
    Map<String, String> before = settled(client, ns, "dry-copy");

    RestoreResult inPlace =
        restorer(state, client)
            .restore(
                request(ns, state).existingPolicy(ExistingPolicy.UPDATE).prune().dryRun().build(),
                ProgressListener.NONE);
    RestoreResult copy =
        restorer(state, client)
            .restore(
                request(ns, state).toNamespace("dry-copy").dryRun().build(), ProgressListener.NONE);

    assertThat(snapshot(client, ns, "dry-copy"))
        .as("resourceVersions of every object, and the namespaces")
        .isEqualTo(before);
    assertThat(managers(client, ns)).doesNotContain(Applier.FIELD_MANAGER);
    assertThat(inPlace.dryRun()).isTrue();
    ObjectResult frontend =
        inPlace.objects().stream()
            .filter(o -> o.name().equals("frontend") && o.kind().equals("Deployment.apps"))
            .findFirst()
            .orElseThrow();
    assertThat(frontend.outcome()).isEqualTo(Outcome.UPDATED);
    assertThat(frontend.diff())
        .contains(
            "~ spec.template.spec.containers[0].image: \"frontend:v9\" → \"gcr.io/google-samples/microservices-demo/frontend:v0.7.0\"");
    assertThat(inPlace.with(Outcome.DELETED))
        .extracting(ObjectResult::name)
        .containsExactly("after-t");
    assertThat(inPlace.with(Outcome.UPDATED))
        .filteredOn(o -> !o.name().equals("frontend"))
        .allSatisfy(o -> assertThat(o.reason()).isEqualTo("no change"));
    String text = ReportRenderer.render(inPlace, ReportRenderer.Format.TEXT);
    assertThat(text)
        .contains("would update", "would delete", "nothing was written", "containers[0].image");
    assertThat(copy.with(Outcome.CREATED)).hasSizeGreaterThanOrEqualTo(25);
    assertThat(copy.with(Outcome.FAILED)).isEmpty();
  }

  @Test
  void writesManifestsThatASecondApplyAccepts(KubernetesClient client) throws Exception {
    String ns = "hydrate-src";
    boutique(client, ns);
    ServedState state = ServedState.record(client, sealer, ns);
    Path out = dir.resolve("manifests");
    Map<String, String> before = settled(client, ns, "hydrated");

    RestoreResult result =
        new Restorer(state, null, Clock.systemUTC())
            .restore(
                request(ns, state).toNamespace("hydrated").outputDir(out).build(),
                ProgressListener.NONE);

    assertThat(result.status()).isEqualTo(Status.COMPLETED);
    assertThat(snapshot(client, ns, "hydrated")).isEqualTo(before);
    List<Path> files;
    try (Stream<Path> list = Files.list(out)) {
      files = list.sorted().toList();
    }
    assertThat(files).hasSize(result.with(Outcome.WRITTEN).size()).hasSizeGreaterThanOrEqualTo(24);
    assertThat(files.get(0).getFileName().toString()).isEqualTo("001-namespace-hydrated.yaml");
    for (Path file : files) {
      HasMetadata applied =
          client.resource(Files.readString(file)).fieldManager("second-apply").serverSideApply();
      assertThat(applied.getMetadata().getUid()).as(file.toString()).isNotBlank();
    }
    assertThat(client.apps().deployments().inNamespace("hydrated").list().getItems()).hasSize(12);
  }

  @Test
  void existingPoliciesSkipApplyOverOrReplace(KubernetesClient client) {
    String ns = "policy";
    boutique(client, ns);
    ServedState state = ServedState.record(client, sealer, ns);
    var frontend = client.apps().deployments().inNamespace(ns).withName("frontend");
    String uid = frontend.get().getMetadata().getUid();
    // another field manager takes the image and adds a label after T
    Deployment other =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("frontend")
            .withNamespace(ns)
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
        .inNamespace(ns)
        .resource(other)
        .fieldManager("other-manager")
        .forceConflicts()
        .serverSideApply();
    RestoreRequest.Builder onlyFrontend =
        request(ns, state).includeKinds(List.of("deployments")).names(java.util.Set.of("frontend"));

    RestoreResult none =
        restorer(state, client).restore(onlyFrontend.build(), ProgressListener.NONE);
    assertThat(none.objects())
        .singleElement()
        .satisfies(o -> assertThat(o.outcome()).isEqualTo(Outcome.SKIPPED));
    assertThat(image(frontend.get())).isEqualTo("frontend:other");

    RestoreResult keep =
        restorer(state, client)
            .restore(
                request(ns, state)
                    .includeKinds(List.of("Deployment"))
                    .names(java.util.Set.of("frontend"))
                    .existingPolicy(ExistingPolicy.UPDATE)
                    .keepConflictingFields()
                    .build(),
                ProgressListener.NONE);
    assertThat(keep.status()).isEqualTo(Status.FAILED);
    assertThat(keep.objects())
        .singleElement()
        .satisfies(
            o -> assertThat(o.reason()).contains("apply conflict", "other-manager", "image"));
    assertThat(image(frontend.get())).isEqualTo("frontend:other");

    RestoreResult update =
        restorer(state, client)
            .restore(
                request(ns, state)
                    .includeKinds(List.of("deployments.apps"))
                    .names(java.util.Set.of("frontend"))
                    .existingPolicy(ExistingPolicy.UPDATE)
                    .build(),
                ProgressListener.NONE);
    assertThat(update.objects())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.outcome()).isEqualTo(Outcome.UPDATED);
              assertThat(o.diff()).anyMatch(d -> d.contains("image"));
            });
    assertThat(image(frontend.get()))
        .isEqualTo("gcr.io/google-samples/microservices-demo/frontend:v0.7.0");
    assertThat(frontend.get().getMetadata().getLabels())
        .as("a field only the other manager owns stays under update")
        .containsEntry("owner", "other");

    RestoreResult replace =
        restorer(state, client)
            .restore(
                request(ns, state)
                    .includeKinds(List.of("deploy"))
                    .names(java.util.Set.of("frontend"))
                    .existingPolicy(ExistingPolicy.REPLACE)
                    .build(),
                ProgressListener.NONE);
    assertThat(replace.objects())
        .singleElement()
        .satisfies(o -> assertThat(o.outcome()).isEqualTo(Outcome.REPLACED));
    assertThat(frontend.get().getMetadata().getLabels()).doesNotContainKey("owner");
    assertThat(frontend.get().getMetadata().getUid()).isEqualTo(uid);
    assertRestoredAsRecorded(client, state, replace, ns, ns);
  }

  /** An image bump by another client ({@code kubectl set image}), as a JSON patch. */
  private static void setImage(
      KubernetesClient client, String ns, String deployment, String image) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(deployment)
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
            "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\""
                + image
                + "\"}]");
  }

  /** {@link #snapshot} once the controllers are done writing: the same twice, 1.5 s apart. */
  private static Map<String, String> settled(KubernetesClient client, String... namespaces) {
    List<Map<String, String>> last = new ArrayList<>(List.of(Map.of()));
    await("no writes for 1.5 s in " + List.of(namespaces))
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(1500))
        .until(
            () -> {
              Map<String, String> now = snapshot(client, namespaces);
              boolean same = now.equals(last.get(0));
              last.set(0, now);
              return same;
            });
    return last.get(0);
  }

  /** The field managers that wrote to objects of the namespace. */
  private static java.util.Set<String> managers(KubernetesClient client, String ns) {
    java.util.Set<String> managers = new java.util.TreeSet<>();
    for (ResourceDefinitionContext type : ServedTypes.listable(client)) {
      if (type.isNamespaceScoped() && !type.getKind().equals("Event")) {
        try {
          client
              .genericKubernetesResources(type)
              .inNamespace(ns)
              .list()
              .getItems()
              .forEach(
                  o ->
                      o.getMetadata()
                          .getManagedFields()
                          .forEach(m -> managers.add(m.getManager())));
        } catch (RuntimeException e) {
          // not listable
        }
      }
    }
    return managers;
  }

  private static String image(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  @Test
  void badRequestsGiveOneReasonAndWriteNothing(KubernetesClient client, KubeApiServer server)
      throws Exception {
    String ns = "bad-src";
    boutique(client, ns);
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("token")
                .endMetadata()
                .addToStringData("t", "x")
                .build())
        .create();
    ServedState state = ServedState.record(client, sealer, ns);
    Map<String, String> before = settled(client, ns, "bad-dst");
    RestoreRequest.Builder toDst = request(ns, state).toNamespace("bad-dst");

    assertThatThrownBy(
            () ->
                restorer(state, client)
                    .restore(
                        toDst.modifiersFile(dir.resolve("missing.yaml")).build(),
                        ProgressListener.NONE))
        .isInstanceOfSatisfying(
            RestoreException.class, e -> assertThat(e.problem()).isEqualTo(Problem.MODIFIERS))
        .hasMessageStartingWith("--modifiers " + dir.resolve("missing.yaml") + ": cannot read")
        .hasMessageNotContaining("\n");
    Path strategic =
        ServedState.write(
            dir,
            "strategic.yaml",
            "version: v1\nresourceModifierRules:\n- conditions: {groupResource: pods}\n  strategicPatches: [{patchData: '{}'}]\n");
    assertThatThrownBy(
            () ->
                restorer(state, client)
                    .restore(
                        request(ns, state).toNamespace("bad-dst").modifiersFile(strategic).build(),
                        ProgressListener.NONE))
        .isInstanceOfSatisfying(
            RestoreException.class, e -> assertThat(e.problem()).isEqualTo(Problem.MODIFIERS))
        .hasMessageContaining("strategicPatches are not supported");
    try (KubernetesClient away =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl("https://127.0.0.1:1")
                    .withTrustCerts(true)
                    .withRequestRetryBackoffLimit(0)
                    .withConnectionTimeout(2000)
                    .build())
            .build()) {
      assertThatThrownBy(
              () ->
                  restorer(state, away)
                      .restore(
                          request(ns, state).toNamespace("bad-dst").build(), ProgressListener.NONE))
          .isInstanceOfSatisfying(
              RestoreException.class,
              e -> assertThat(e.problem()).isEqualTo(Problem.UNREACHABLE_CLUSTER))
          .hasMessageContaining("https://127.0.0.1:1")
          .hasMessageNotContaining("\n");
    }
    assertThatThrownBy(
            () ->
                restorer(state, client)
                    .restore(
                        request(ns, state)
                            .toNamespace("bad-dst")
                            .includeKinds(List.of("widgets"))
                            .build(),
                        ProgressListener.NONE))
        .isInstanceOfSatisfying(
            RestoreException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_KIND))
        .hasMessageStartingWith("--include-kinds 'widgets'");
    RestoreResult refused =
        restorer(state, client)
            .restore(
                RestoreRequest.builder(ns, state.at())
                    .toNamespace("bad-dst")
                    .sealingKeyFile(dir.resolve("no.key"))
                    .build(),
                ProgressListener.NONE);
    assertThat(refused.status()).isEqualTo(Status.REFUSED);
    assertThat(refused.message())
        .contains("1 Secret(s)", "--sealing-key-file", "--skip-secrets-without-key");
    assertThat(snapshot(client, ns, "bad-dst"))
        .as("nothing written by any refused request")
        .isEqualTo(before);

    // a kind the target does not serve fails alone (batch/v1 CronJob is 1.21+); the rest proceeds
    String cronJob =
        "{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\",\"metadata\":{\"name\":\"nightly\",\"namespace\":\""
            + ns
            + "\"},"
            + "\"spec\":{\"schedule\":\"0 0 * * *\",\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":{\"restartPolicy\":\"Never\","
            + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}}}";
    ServedState withCronJob =
        state.plus(
            new StoredObject(
                new ObjectId("test", "batch", "CronJob", ns, "nightly"),
                "batch/v1",
                "u1",
                "1",
                1L,
                Instant.now(),
                cronJob,
                "",
                Map.of(),
                null,
                0,
                0));
    RestoreResult partly =
        restorer(withCronJob, client)
            .restore(
                RestoreRequest.builder(ns, state.at())
                    .toNamespace("bad-dst")
                    .sealingKeyFile(dir.resolve("no.key"))
                    .skipSecretsWithoutKey()
                    .build(),
                ProgressListener.NONE);
    assertThat(partly.status()).isEqualTo(Status.PARTIALLY_FAILED);
    assertThat(partly.with(Outcome.FAILED))
        .singleElement()
        .satisfies(
            o -> assertThat(o.reason()).contains("CronJob.batch", "batch/v1beta1", "not batch/v1"));
    assertThat(partly.objects())
        .filteredOn(o -> o.kind().equals("Secret") && o.name().equals("token"))
        .singleElement()
        .satisfies(o -> assertThat(o.outcome()).isEqualTo(Outcome.SKIPPED));
    assertThat(client.apps().deployments().inNamespace("bad-dst").list().getItems()).hasSize(12);
  }
}
