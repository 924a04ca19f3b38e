package io.hindsight.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.hindsight.cli.audit.FieldDiff.FieldChange;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FieldDiffTest {
  private static List<String> diff(Set<String> ignored, String before, String after) {
    return new FieldDiff(ignored)
            .diff(
                before == null ? null : Json.parse(before),
                after == null ? null : Json.parse(after))
            .stream()
            .map(
                c ->
                    c.op()
                        + " "
                        + c.path()
                        + " "
                        + Json.brief(c.before())
                        + " -> "
                        + Json.brief(c.after()))
            .toList();
  }

  @Test
  void namedListsAreComparedByNameOthersByPosition() {
    String before =
        "{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"a:1\"},{\"name\":\"b\",\"image\":\"b:1\"}],"
            + "\"args\":[\"x\",\"y\"]}}";
    String after =
        "{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"b:2\"},{\"name\":\"a\",\"image\":\"a:1\"},"
            + "{\"name\":\"c\",\"image\":\"c:1\"}],\"args\":[\"x\"]}}";
    assertThat(diff(Set.of(), before, after))
        .containsExactly(
            "changed spec.containers[name=b].image b:1 -> b:2",
            "added spec.containers[name=c] (none) -> {\"name\":\"c\",\"image\":\"c:1\"}",
            "removed spec.args[1] y -> (none)");
  }

  @Test
  void serverAssignedFieldsAndIgnoredSubtreesAreLeftOut() {
    String before =
        "{\"metadata\":{\"resourceVersion\":\"1\",\"generation\":1,\"managedFields\":[{\"manager\":\"a\"}],"
            + "\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{}\",\"team\":\"x\"}},"
            + "\"status\":{\"replicas\":1}}";
    String after =
        "{\"metadata\":{\"resourceVersion\":\"2\",\"generation\":2,\"managedFields\":[{\"manager\":\"b\"}],"
            + "\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"a\\\":1}\",\"team\":\"y\"}},"
            + "\"status\":{\"replicas\":2}}";
    assertThat(diff(FieldDiff.SERVER_FIELDS, before, after))
        .containsExactly(
            "changed metadata.annotations.team x -> y", "changed status.replicas 1 -> 2");
    Set<String> noStatus = new java.util.HashSet<>(FieldDiff.SERVER_FIELDS);
    noStatus.add("status");
    assertThat(diff(noStatus, before, after))
        .containsExactly("changed metadata.annotations.team x -> y");
    assertThat(diff(Set.of("status.replicas", "metadata"), before, after)).isEmpty();
  }

  @Test
  void equalObjectsHaveNoDifferenceAndTypeChangesAreChanges() {
    assertThat(diff(Set.of(), "{\"a\":{\"b\":[1,2]}}", "{\"a\":{\"b\":[1,2]}}")).isEmpty();
    assertThat(diff(Set.of(), "{\"a\":\"1\"}", "{\"a\":1}")).containsExactly("changed a 1 -> 1");
    assertThat(diff(Set.of(), "{\"a\":{\"x\":1}}", "{\"a\":[1]}"))
        .containsExactly("changed a {\"x\":1} -> [1]");
  }

  @Test
  void aWholeObjectCreatedListsItsFieldsWithIgnoresApplied() {
    List<FieldChange> created =
        new FieldDiff(Set.of("status"))
            .diff(
                null, Json.parse("{\"kind\":\"ConfigMap\",\"data\":{\"a\":\"1\"},\"status\":{}}"));
    assertThat(created).extracting(FieldChange::path).containsExactly("kind", "data");
    assertThat(created).extracting(FieldChange::op).containsOnly("added");
  }

  @Test
  void writersAreTheEntriesWithANewTime() {
    String v1 =
        "{\"metadata\":{\"managedFields\":[{\"manager\":\"kubectl-client-side-apply\",\"operation\":\"Update\",\"time\":\"t1\"}]}}";
    String v2 =
        "{\"metadata\":{\"managedFields\":[{\"manager\":\"kubectl-client-side-apply\",\"operation\":\"Update\",\"time\":\"t1\"},"
            + "{\"manager\":\"kube-controller-manager\",\"operation\":\"Update\",\"time\":\"t2\"}]}}";
    String v3 =
        "{\"metadata\":{\"managedFields\":[{\"manager\":\"kubectl-client-side-apply\",\"operation\":\"Update\",\"time\":\"t3\"},"
            + "{\"manager\":\"kube-controller-manager\",\"operation\":\"Update\",\"time\":\"t2\"}]}}";
    assertThat(Managers.writers(null, Json.parse(v1)))
        .extracting(Managers.Entry::manager)
        .containsExactly("kubectl-client-side-apply");
    assertThat(Managers.writers(Json.parse(v1), Json.parse(v2)))
        .extracting(Managers.Entry::manager)
        .containsExactly("kube-controller-manager");
    assertThat(Managers.writers(Json.parse(v2), Json.parse(v3)))
        .extracting(Managers.Entry::manager)
        .containsExactly("kubectl-client-side-apply");
    assertThat(Managers.writers(Json.parse(v3), Json.parse(v3))).isEmpty();
    assertThat(Managers.writers(null, Json.parse("{\"metadata\":{}}"))).isEmpty();
  }
}
