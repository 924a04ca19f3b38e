package io.hindsight.restorer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldDiffTest {
  @Test
  void listsChangedAddedAndRemovedLeavesWithReadablePaths() {
    var live =
        JsonTrees.parse(
            "{\"metadata\":{\"name\":\"web\",\"resourceVersion\":\"9\",\"labels\":{\"a\":\"1\",\"gone\":\"x\"}},"
                + "\"spec\":{\"replicas\":3,\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"web:v9\"}]}}},\"status\":{\"ready\":1}}");
    var restored =
        JsonTrees.parse(
            "{\"metadata\":{\"name\":\"web\",\"resourceVersion\":\"10\",\"labels\":{\"a\":\"1\",\"new\":\"y\"}},"
                + "\"spec\":{\"replicas\":1,\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"web:v1\"}]}}},\"status\":{\"ready\":0}}");

    assertThat(FieldDiff.between(live, restored))
        .containsExactly(
            "- metadata.labels.gone: \"x\"",
            "+ metadata.labels.new: \"y\"",
            "~ spec.replicas: 3 → 1",
            "~ spec.template.spec.containers[0].image: \"web:v9\" → \"web:v1\"");
    assertThat(FieldDiff.between(live, live)).isEmpty();
    assertThat(FieldDiff.leaves(restored)).isEqualTo(8);
  }
}
