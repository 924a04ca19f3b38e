package io.hindsight.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.EventType;
import io.hindsight.schemas.avro.Origin;
import io.hindsight.schemas.sealing.SealingKeys;
import io.hindsight.schemas.sealing.SecretSealer;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvelopeFactoryTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ResourceType CONFIGMAPS =
      new ResourceType("", "v1", "ConfigMap", "configmaps", true);
  private static final ResourceType SECRETS = new ResourceType("", "v1", "Secret", "secrets", true);
  @TempDir Path dir;
  private EnvelopeFactory factory;

  @BeforeEach
  void setUp() {
    factory =
        new EnvelopeFactory(
            "prod", "run-1", new SecretSealer(SealingKeys.load(dir.resolve("k"), true)));
  }

  private static GenericKubernetesResource generic(Object typed) {
    return SERIALIZATION.unmarshal(SERIALIZATION.asJson(typed), GenericKubernetesResource.class);
  }

  private static GenericKubernetesResource configMap(String rv, String value, String manager) {
    return generic(
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("a")
            .withNamespace("shop")
            .withUid("u1")
            .withResourceVersion(rv)
            .addToLabels("app", "shop")
            .withManagedFields(new ManagedFieldsEntryBuilder().withManager(manager).build())
            .endMetadata()
            .addToData("k", value)
            .build());
  }

  @Test
  void theHashIgnoresResourceVersionAndManagedFieldsButNotContent() {
    String base = factory.material(CONFIGMAPS, configMap("1", "v", "kubectl")).hash();
    assertThat(factory.material(CONFIGMAPS, configMap("2", "v", "helm")).hash()).isEqualTo(base);
    assertThat(factory.material(CONFIGMAPS, configMap("1", "w", "kubectl")).hash())
        .isNotEqualTo(base);
  }

  @Test
  void theEnvelopeCarriesIdentityMetadataAndTheObject() {
    GenericKubernetesResource cm = configMap("7", "v", "kubectl");
    ChangeEnvelope envelope =
        factory.envelope(
            CONFIGMAPS,
            cm,
            factory.material(CONFIGMAPS, cm),
            EventType.ADDED,
            Origin.WATCH,
            Instant.parse("2026-11-23T10:00:00Z"),
            false);
    assertThat(envelope.getCluster()).isEqualTo("prod");
    assertThat(envelope.getApiVersion()).isEqualTo("v1");
    assertThat(envelope.getNamespace()).isEqualTo("shop");
    assertThat(envelope.getResourceVersion()).isEqualTo("7");
    assertThat(envelope.getUid()).isEqualTo("u1");
    assertThat(envelope.getLabels()).containsEntry("app", "shop");
    assertThat(envelope.getObject()).contains("\"k\":\"v\"");
    assertThat(envelope.getSealKeyId()).isNull();
    assertThat(envelope.getWatcherRunId()).isEqualTo("run-1");
  }

  @Test
  void secretsAreSealedAndHashedWithAKey() {
    GenericKubernetesResource secret =
        generic(
            new SecretBuilder()
                .withNewMetadata()
                .withName("db")
                .withNamespace("shop")
                .withResourceVersion("1")
                .endMetadata()
                .addToData("password", "cGxhaW4=")
                .build());
    EnvelopeFactory.Material first = factory.material(SECRETS, secret);
    EnvelopeFactory.Material second = factory.material(SECRETS, secret);
    assertThat(first.sealed()).isTrue();
    assertThat(first.json()).doesNotContain("cGxhaW4=").contains("hsealed:v1:");
    assertThat(first.json()).isNotEqualTo(second.json());
    assertThat(first.hash()).isEqualTo(second.hash());
    EnvelopeFactory other =
        new EnvelopeFactory(
            "prod", "r", new SecretSealer(SealingKeys.load(dir.resolve("k2"), true)));
    assertThat(other.material(SECRETS, secret).hash()).isNotEqualTo(first.hash());
  }
}
