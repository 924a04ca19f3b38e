package io.hindsight.restorer;

import static org.assertj.core.api.Assertions.assertThat;

import io.hindsight.history.LabelSelector;
import io.hindsight.history.Selection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Selection by kind, label and name; the never-restore rules; owner filtering; related cluster
 * objects.
 */
class ObjectSelectorTest {
  private static final RestoreObject DEPLOYMENT =
      TestObjects.yaml(
          "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop, uid: d1, labels: {app: web}}\nspec: {}\n");
  private static final RestoreObject REPLICA_SET =
      TestObjects.yaml(
          "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web-5d8f, namespace: shop, uid: r1, labels: {app: web},"
              + " ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d1, controller: true}]}\n");
  private static final RestoreObject POD =
      TestObjects.yaml(
          "apiVersion: v1\nkind: Pod\nmetadata: {name: web-5d8f-x, namespace: shop, uid: p1, labels: {app: web},"
              + " ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f, uid: r1, controller: true}]}\n");
  private static final RestoreObject BARE_POD =
      TestObjects.yaml(
          "apiVersion: v1\nkind: Pod\nmetadata: {name: debug, namespace: shop, uid: p2, labels: {app: debug}}\n");
  private static final RestoreObject SERVICE =
      TestObjects.yaml(
          "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec: {selector: {app: web}}\n");
  private static final RestoreObject ENDPOINTS =
      TestObjects.yaml("apiVersion: v1\nkind: Endpoints\nmetadata: {name: web, namespace: shop}\n");
  private static final RestoreObject MANUAL_ENDPOINTS =
      TestObjects.yaml(
          "apiVersion: v1\nkind: Endpoints\nmetadata: {name: external-db, namespace: shop}\n");
  private static final RestoreObject EVENT =
      TestObjects.yaml("apiVersion: v1\nkind: Event\nmetadata: {name: web.1, namespace: shop}\n");
  private static final RestoreObject TOKEN =
      TestObjects.yaml(
          "apiVersion: v1\nkind: Secret\nmetadata: {name: default-token-abcde, namespace: shop}\ntype: kubernetes.io/service-account-token\n");
  private static final RestoreObject SECRET =
      TestObjects.yaml(
          "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\ntype: Opaque\n");
  private static final RestoreObject ROOT_CA =
      TestObjects.yaml(
          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kube-root-ca.crt, namespace: shop}\n");
  private static final List<RestoreObject> NAMESPACE =
      List.of(
          DEPLOYMENT,
          REPLICA_SET,
          POD,
          BARE_POD,
          SERVICE,
          ENDPOINTS,
          MANUAL_ENDPOINTS,
          EVENT,
          TOKEN,
          SECRET,
          ROOT_CA);

  private static ObjectSelector.Selected select(Selection selection, boolean includeOwned) {
    return new ObjectSelector(selection, NeverRestoreRules.standard(), includeOwned)
        .select("shop", NAMESPACE, List.of());
  }

  @Test
  void leavesOwnedObjectsToTheirRestoredControllersAndDerivedObjectsOut() {
    var selected = select(Selection.EVERYTHING, false);

    assertThat(selected.kept())
        .containsExactlyInAnyOrder(DEPLOYMENT, BARE_POD, SERVICE, MANUAL_ENDPOINTS, SECRET);
    assertThat(selected.skipped())
        .extracting(o -> o.kind() + "/" + o.name() + ": " + o.reason())
        .containsExactlyInAnyOrder(
            "ReplicaSet.apps/web-5d8f: left to its controller Deployment.apps web (restored, or itself recreated by its own controller)",
            "Pod/web-5d8f-x: left to its controller ReplicaSet.apps web-5d8f (restored, or itself recreated by its own controller)",
            "Endpoints/web: never restored (rule 'Endpoints derived-from-service')",
            "Event/web.1: never restored (rule 'Event')",
            "Secret/default-token-abcde: never restored (rule 'Secret type=kubernetes.io/service-account-token')",
            "ConfigMap/kube-root-ca.crt: never restored (rule 'ConfigMap name=kube-root-ca.crt')");
  }

  @Test
  void restoresOwnedObjectsWhenAsked() {
    assertThat(select(Selection.EVERYTHING, true).kept()).contains(REPLICA_SET, POD);
  }

  @Test
  void anOwnerOutsideTheSelectionDoesNotHoldItsObjectsBack() {
    var selected =
        select(new Selection(Set.of("pod"), Set.of(), LabelSelector.everything(), Set.of()), false);
    assertThat(selected.kept()).containsExactlyInAnyOrder(POD, BARE_POD);
  }

  @Test
  void selectsByKindLabelAndName() {
    assertThat(
            select(
                    new Selection(
                        Set.of(),
                        Set.of("pod", "secret", "endpoints"),
                        LabelSelector.parse("app in (web,debug)"),
                        Set.of()),
                    false)
                .kept())
        .containsExactlyInAnyOrder(DEPLOYMENT, SERVICE);
    assertThat(
            select(
                    new Selection(
                        Set.of("deployment.apps", "service"),
                        Set.of(),
                        LabelSelector.parse("app=web"),
                        Set.of("web")),
                    false)
                .kept())
        .containsExactlyInAnyOrder(DEPLOYMENT, SERVICE);
    assertThat(
            select(
                    new Selection(
                        Set.of(), Set.of(), LabelSelector.parse("app!=web,app"), Set.of()),
                    false)
                .kept())
        .containsExactly(BARE_POD);
    assertThat(
            select(new Selection(Set.of(), Set.of(), LabelSelector.parse("!app"), Set.of()), false)
                .kept())
        .containsExactlyInAnyOrder(MANUAL_ENDPOINTS, SECRET);
  }

  @Test
  void takesTheClusterScopedObjectsThatBelongWithTheNamespace() {
    List<RestoreObject> cluster =
        List.of(
            TestObjects.yaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n"),
            TestObjects.yaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n"),
            TestObjects.yaml(
                "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: foos.samplecontroller.k8s.io}\n"
                    + "spec: {group: samplecontroller.k8s.io, names: {kind: Foo, plural: foos}, scope: Namespaced}\n"),
            TestObjects.yaml(
                "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: bars.example.com}\n"
                    + "spec: {group: example.com, names: {kind: Bar, plural: bars}, scope: Namespaced}\n"),
            TestObjects.yaml(
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ksm}\n"
                    + "roleRef: {kind: ClusterRole, name: ksm}\nsubjects: [{kind: ServiceAccount, name: ksm, namespace: shop}]\n"),
            TestObjects.yaml(
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: elsewhere}\n"
                    + "roleRef: {kind: ClusterRole, name: view}\nsubjects: [{kind: ServiceAccount, name: x, namespace: other}]\n"),
            TestObjects.yaml(
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: ksm}\n"),
            TestObjects.yaml(
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: view}\n"),
            TestObjects.yaml(
                "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-1}\nspec: {claimRef: {namespace: shop, name: data}}\n"),
            TestObjects.yaml(
                "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-2}\nspec: {claimRef: {namespace: other, name: data}}\n"));
    List<RestoreObject> namespaced =
        List.of(
            TestObjects.yaml(
                "apiVersion: samplecontroller.k8s.io/v1alpha1\nkind: Foo\nmetadata: {name: f, namespace: shop}\n"),
            TestObjects.yaml(
                "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: shop}\n"));

    assertThat(ObjectSelector.related("shop", namespaced, cluster))
        .extracting(o -> o.kind() + "/" + o.name())
        .containsExactly(
            "Namespace/shop",
            "CustomResourceDefinition/foos.samplecontroller.k8s.io",
            "ClusterRoleBinding/ksm",
            "PersistentVolume/pv-1",
            "ClusterRole/ksm");
  }
}
