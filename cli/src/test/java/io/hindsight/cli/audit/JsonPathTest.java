package io.hindsight.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.hindsight.history.ObjectId;
import io.hindsight.history.StoredObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonPathTest {
  private static final String DEPLOYMENT =
      "{\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\","
          + "\"app.kubernetes.io/name\":\"shop\"}},\"spec\":{\"replicas\":3,\"template\":{\"spec\":"
          + "{\"containers\":[{\"name\":\"server\",\"image\":\"web:1\"},{\"name\":\"proxy\","
          + "\"image\":\"envoy:2\"}]}}}}";
  private static final JsonNode JSON = Json.parse(DEPLOYMENT);

  private static List<String> texts(String path) {
    return JsonPath.parse(path).resolve(JSON).stream().map(JsonNode::asText).toList();
  }

  @Test
  void fieldsIndexesWildcardsNamedElementsAndQuotedNames() {
    assertThat(texts("spec.replicas")).containsExactly("3");
    assertThat(texts("spec.template.spec.containers[0].image")).containsExactly("web:1");
    assertThat(texts("spec.template.spec.containers[1].image")).containsExactly("envoy:2");
    assertThat(texts("spec.template.spec.containers[2].image")).isEmpty();
    assertThat(texts("spec.template.spec.containers[*].image")).containsExactly("web:1", "envoy:2");
    assertThat(texts("spec.template.spec.containers[name=proxy].image")).containsExactly("envoy:2");
    assertThat(texts("metadata.labels[\"app.kubernetes.io/name\"]")).containsExactly("shop");
    assertThat(texts("metadata.labels.missing")).isEmpty();
    assertThat(texts("spec.replicas.deeper")).isEmpty();
  }

  @Test
  void diffPathsQuoteWhatNeedsIt() {
    assertThat(JsonPath.field("", "spec")).isEqualTo("spec");
    assertThat(JsonPath.field("metadata.labels", "app")).isEqualTo("metadata.labels.app");
    assertThat(JsonPath.field("metadata.labels", "app.kubernetes.io/name"))
        .isEqualTo("metadata.labels[\"app.kubernetes.io/name\"]");
    // what a diff prints can be pasted back
    assertThat(texts(JsonPath.field("metadata.labels", "app.kubernetes.io/name")))
        .containsExactly("shop");
  }

  @Test
  void malformedPathsSayWhere() {
    for (String bad :
        new String[] {"", "spec.", "spec..replicas", "containers[", "containers[x]"}) {
      assertThatThrownBy(() -> JsonPath.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a path");
    }
  }

  private static StoredObject object(String kind, String name, Map<String, String> labels) {
    return new StoredObject(
        new ObjectId("c", kind.equals("Deployment") ? "apps" : "", kind, "ns", name),
        "apps/v1",
        "u",
        "1",
        1L,
        Instant.EPOCH,
        DEPLOYMENT,
        "h",
        labels,
        null,
        0,
        0);
  }

  @Test
  void predicatesCombineKindNameLabelsAndConditions() {
    StoredObject web = object("Deployment", "web", Map.of("app", "web"));
    assertThat(ObjectPredicate.of(null, null, null, List.of()).test(web, JSON)).isTrue();
    assertThat(ObjectPredicate.of("deployment.apps", "web", "app=web", List.of()).test(web, JSON))
        .isTrue();
    assertThat(ObjectPredicate.of("StatefulSet", null, null, List.of()).test(web, JSON)).isFalse();
    assertThat(ObjectPredicate.of(null, "other", null, List.of()).test(web, JSON)).isFalse();
    assertThat(ObjectPredicate.of(null, null, "app!=web", List.of()).test(web, JSON)).isFalse();
    assertThat(
            ObjectPredicate.of(
                    null, null, null, List.of("spec.template.spec.containers[0].image=web:1"))
                .test(web, JSON))
        .isTrue();
    assertThat(
            ObjectPredicate.of(
                    null,
                    null,
                    null,
                    List.of("spec.template.spec.containers[name=proxy].image=web:1"))
                .test(web, JSON))
        .isFalse();
    assertThat(
            ObjectPredicate.of(
                    null, null, null, List.of("spec.template.spec.containers[*].image=envoy:2"))
                .test(web, JSON))
        .isTrue();
    assertThat(ObjectPredicate.of(null, null, null, List.of("spec.replicas!=3")).test(web, JSON))
        .isFalse();
    assertThat(ObjectPredicate.of(null, null, null, List.of("spec.paused!=true")).test(web, JSON))
        .as("a missing field is unequal to anything")
        .isTrue();
    assertThat(
            ObjectPredicate.of(null, null, null, List.of("spec.replicas=3", "spec.replicas=4"))
                .test(web, JSON))
        .isFalse();
  }

  @Test
  void conditionsNeedAnOperatorOutsideBrackets() {
    assertThat(ObjectPredicate.condition("containers[name=a].image=x").toString())
        .isEqualTo("containers[name=a].image=x");
    assertThatThrownBy(() -> ObjectPredicate.condition("containers[name=a].image"))
        .hasMessageContaining("PATH=VALUE");
  }
}
