package io.hindsight.restorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RestoreOrderTest {
  private static RestoreObject object(String apiVersion, String kind, String name) {
    return TestObjects.yaml(
        "apiVersion: "
            + apiVersion
            + "\nkind: "
            + kind
            + "\nmetadata: {name: "
            + name
            + ", namespace: shop}\n");
  }

  @Test
  void ordersByTheShippedListCrdsFirstTheRestLast() {
    List<RestoreObject> objects =
        List.of(
            object("samplecontroller.k8s.io/v1alpha1", "Foo", "foo"),
            object("v1", "Service", "web"),
            object("apps/v1", "ReplicaSet", "web-1"),
            object("apps/v1", "Deployment", "web"),
            object("v1", "Pod", "web-1-x"),
            object("v1", "ConfigMap", "b"),
            object("v1", "Secret", "a"),
            object("rbac.authorization.k8s.io/v1", "RoleBinding", "rb"),
            object("v1", "ServiceAccount", "sa"),
            object("v1", "PersistentVolumeClaim", "data"),
            object("v1", "Namespace", "shop"),
            object(
                "apiextensions.k8s.io/v1",
                "CustomResourceDefinition",
                "foos.samplecontroller.k8s.io"));

    var classes = RestoreOrder.standard().order(objects);

    assertThat(classes)
        .extracting(RestoreOrder.PriorityClass::name)
        .containsExactly(
            "crds",
            "namespaces",
            "storage",
            "rbac",
            "config",
            "workloads",
            "owned-workloads",
            "pods",
            "services",
            "rest");
    assertThat(classes.stream().flatMap(c -> c.objects().stream()).map(RestoreObject::name))
        .containsExactly(
            "foos.samplecontroller.k8s.io",
            "shop",
            "data",
            "sa",
            "rb",
            "a",
            "b",
            "web",
            "web-1",
            "web-1-x",
            "web",
            "foo");
  }

  @Test
  void theListIsDataAndMustNameTheRest() {
    RestoreOrder order = RestoreOrder.parse("# comment\nfirst: ConfigMap\nlast: *\n");
    assertThat(order.classOf(new KindRef("", "ConfigMap"))).isEqualTo("first");
    assertThat(order.classOf(new KindRef("apps", "Deployment"))).isEqualTo("last");
    assertThatThrownBy(() -> RestoreOrder.parse("only: ConfigMap\n")).hasMessageContaining("'*'");
  }
}
