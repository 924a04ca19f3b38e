package io.hindsight.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The IT's comparison ignores exactly the server-assigned fields, and fails on anything else. */
class ServedComparisonTest {
  private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static final String SERVICE =
      "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"web\",\"namespace\":\"%s\",\"uid\":\"%s\",\"resourceVersion\":\"%s\","
          + "\"creationTimestamp\":\"%s\",\"managedFields\":[]},\"spec\":{\"type\":\"NodePort\",\"clusterIP\":\"%s\",\"clusterIPs\":[\"%s\"],"
          + "\"ports\":[{\"port\":80,\"nodePort\":%d,\"protocol\":\"TCP\"}],\"selector\":{\"app\":\"%s\"}},\"status\":{\"loadBalancer\":{}}}";

  @Test
  void ignoresServerAssignedFieldsAndMapsTheNamespace() {
    var recorded =
        parse(
            SERVICE.formatted(
                "a", "u1", "10", "2026-01-01T00:00:00Z", "10.0.0.1", "10.0.0.1", 30001, "web"));
    var restored =
        parse(
            SERVICE.formatted(
                "b", "u2", "99", "2026-02-02T00:00:00Z", "10.0.0.7", "10.0.0.7", 30999, "web"));
    assertThat(ServedComparison.differences(recorded, restored, "a", "b")).isEmpty();
  }

  @Test
  void failsOnAnyOtherDifference() {
    var recorded =
        parse(SERVICE.formatted("a", "u1", "10", "t", "10.0.0.1", "10.0.0.1", 30001, "web"));
    var wrongSelector =
        parse(SERVICE.formatted("b", "u1", "10", "t", "10.0.0.1", "10.0.0.1", 30001, "api"));
    var wrongNamespace =
        parse(SERVICE.formatted("a", "u1", "10", "t", "10.0.0.1", "10.0.0.1", 30001, "web"));
    assertThat(ServedComparison.differences(recorded, wrongSelector, "a", "b"))
        .containsExactly(".spec.selector.app: \"web\" → \"api\"");
    assertThat(ServedComparison.differences(recorded, wrongNamespace, "a", "b"))
        .containsExactly(".metadata.namespace: \"b\" → \"a\"");
  }
}
