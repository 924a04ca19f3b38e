package io.hindsight.restorer;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The restorer waits for the CRDs it created to be Established; a CRD read back before the server
 * filled its conditions is not yet Established — it is not an error (RestorerIT failed once on a
 * status without conditions).
 */
class CrdEstablishedTest {
  private static CustomResourceDefinition crd(CustomResourceDefinitionStatus status) {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("foos.samplecontroller.k8s.io")
        .endMetadata()
        .withStatus(status)
        .build();
  }

  private static CustomResourceDefinitionCondition condition(String type, String status) {
    CustomResourceDefinitionCondition c = new CustomResourceDefinitionCondition();
    c.setType(type);
    c.setStatus(status);
    return c;
  }

  @Test
  void onlyAnEstablishedTrueConditionCounts() {
    assertThat(Applier.established(null)).isFalse();
    assertThat(Applier.established(crd(null))).isFalse();
    CustomResourceDefinitionStatus noConditions = new CustomResourceDefinitionStatus();
    noConditions.setConditions(null);
    assertThat(Applier.established(crd(noConditions))).isFalse();
    CustomResourceDefinitionStatus pending = new CustomResourceDefinitionStatus();
    pending.setConditions(
        List.of(condition("NamesAccepted", "True"), condition("Established", "False")));
    assertThat(Applier.established(crd(pending))).isFalse();
    CustomResourceDefinitionStatus ready = new CustomResourceDefinitionStatus();
    ready.setConditions(
        List.of(condition("NamesAccepted", "True"), condition("Established", "True")));
    assertThat(Applier.established(crd(ready))).isTrue();
  }
}
