package io.hindsight.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.hindsight.testing.TestData;
import io.hindsight.testing.kube.KubeApiServer;
import io.hindsight.testing.kube.KubeApiServerExtension;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The manifests of {@code infra/k8s/} on a real API server: every one is accepted as written, and
 * the watcher's ServiceAccount, with the token the API server issues it, can get, list and watch
 * every resource type the cluster serves (Secrets and custom resources included) and can change
 * none of them.
 */
@ExtendWith(KubeApiServerExtension.class)
class KubernetesManifestsIT {
  private static final String SERVICE_ACCOUNT = "system:serviceaccount:hindsight:hindsight-watcher";
  private static final List<String> READ = List.of("get", "list", "watch");
  private static final List<String> WRITE =
      List.of("create", "update", "patch", "delete", "deletecollection");

  @Test
  void theWatchersServiceAccountReadsEverythingAndChangesNothing(KubeApiServer kube)
      throws Exception {
    try (KubernetesClient admin = kube.client()) {
      Path manifests = Path.of(System.getProperty("hindsight.project.root"), "infra", "k8s");
      for (String file :
          List.of(
              "namespace.yaml", "rbac.yaml", "config.yaml", "watcher.yaml", "streams-app.yaml")) {
        try (InputStream in = Files.newInputStream(manifests.resolve(file))) {
          for (HasMetadata item : admin.load(in).items()) {
            admin.resource(item).forceConflicts().serverSideApply();
          }
        }
      }
      assertThat(
              admin
                  .apps()
                  .deployments()
                  .inNamespace("hindsight")
                  .withName("hindsight-watcher")
                  .get())
          .isNotNull();
      assertThat(admin.apps().statefulSets().inNamespace("hindsight").list().getItems()).hasSize(1);
      // a CRD and a custom resource, so the wildcard is shown to cover types added later
      try (InputStream in = Files.newInputStream(TestData.path("sample-controller/crd.yaml"))) {
        admin.load(in).items().forEach(item -> admin.resource(item).serverSideApply());
      }

      try (KubernetesClient watcher = asServiceAccount(admin, kube)) {
        List<String> checked = new ArrayList<>();
        for (APIResourceList group : discovery(admin)) {
          for (APIResource resource : group.getResources()) {
            if (resource.getName().contains("/")
                || !resource.getVerbs().containsAll(List.of("list", "watch"))) {
              continue;
            }
            String type = resource.getName() + "." + groupOf(group.getGroupVersion());
            for (String verb : READ) {
              assertThat(allowed(admin, group.getGroupVersion(), resource.getName(), verb))
                  .as("%s %s", verb, type)
                  .isTrue();
            }
            for (String verb : WRITE) {
              if (resource.getVerbs().contains(verb)) {
                assertThat(allowed(admin, group.getGroupVersion(), resource.getName(), verb))
                    .as("%s %s", verb, type)
                    .isFalse();
              }
            }
            checked.add(type);
          }
        }
        assertThat(checked)
            .contains(
                "secrets.", "deployments.apps", "customresourcedefinitions.apiextensions.k8s.io")
            .anyMatch(t -> t.endsWith(".samplecontroller.k8s.io"));

        // and with the issued token itself, not only as the authorizer answers
        assertThat(watcher.secrets().inAnyNamespace().list().getItems()).isNotEmpty();
        assertThat(watcher.apiextensions().v1().customResourceDefinitions().list().getItems())
            .isNotEmpty();
        assertThatThrownBy(
                () ->
                    watcher
                        .configMaps()
                        .inNamespace("default")
                        .resource(
                            new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName("written-by-the-watcher")
                                .endMetadata()
                                .build())
                        .create())
            .isInstanceOfSatisfying(
                KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      }
    }
  }

  private static String groupOf(String groupVersion) {
    int slash = groupVersion.indexOf('/');
    return slash < 0 ? "" : groupVersion.substring(0, slash);
  }

  private static List<APIResourceList> discovery(KubernetesClient admin) {
    List<APIResourceList> lists = new ArrayList<>();
    lists.add(admin.getApiResources("v1"));
    for (var group : admin.getApiGroups().getGroups()) {
      lists.add(admin.getApiResources(group.getPreferredVersion().getGroupVersion()));
    }
    return lists;
  }

  private static boolean allowed(
      KubernetesClient admin, String groupVersion, String resource, String verb) {
    SubjectAccessReview review =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser(SERVICE_ACCOUNT)
            .withGroups("system:serviceaccounts", "system:serviceaccounts:hindsight")
            .withNewResourceAttributes()
            .withGroup(groupOf(groupVersion))
            .withResource(resource)
            .withVerb(verb)
            .endResourceAttributes()
            .endSpec()
            .build();
    return admin.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
  }

  /** A client authenticated by the token the token controller issues the watcher's account. */
  private static KubernetesClient asServiceAccount(KubernetesClient admin, KubeApiServer kube) {
    Secret tokenSecret =
        new SecretBuilder()
            .withNewMetadata()
            .withName("hindsight-watcher-token")
            .withNamespace("hindsight")
            .addToAnnotations("kubernetes.io/service-account.name", "hindsight-watcher")
            .endMetadata()
            .withType("kubernetes.io/service-account-token")
            .build();
    admin.resource(tokenSecret).create();
    String token =
        await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () -> {
                  Secret s =
                      admin
                          .secrets()
                          .inNamespace("hindsight")
                          .withName("hindsight-watcher-token")
                          .get();
                  return s.getData() == null ? null : s.getData().get("token");
                },
                t -> t != null);
    Config base = kube.config();
    Config config =
        new ConfigBuilder()
            .withMasterUrl(base.getMasterUrl())
            .withCaCertData(base.getCaCertData())
            .withCaCertFile(base.getCaCertFile())
            .withOauthToken(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8))
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
