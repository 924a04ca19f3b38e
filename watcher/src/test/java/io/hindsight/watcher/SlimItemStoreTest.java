package io.hindsight.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlimItemStoreTest {
  private static GenericKubernetesResource object(String namespace, String name, String rv) {
    GenericKubernetesResource object = new GenericKubernetesResource();
    object.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(namespace)
            .withName(name)
            .withUid("6a1f3c52-7f0e-4d7b-9a51-0c2d8e4b1f00")
            .withResourceVersion(rv)
            .addToLabels("app", "shop")
            .build());
    object.setAdditionalProperty("data", java.util.Map.of("k", "v"));
    return object;
  }

  @Test
  void keepsIdentityAndResourceVersionOnlyAndGivesThemBackAsTheyWere() {
    AtomicInteger held = new AtomicInteger();
    SlimItemStore store = new SlimItemStore(held::incrementAndGet);
    for (String rv : new String[] {"12345", "0", "007", "opaque-rv", "123456789012345678901"}) {
      GenericKubernetesResource full = object("shop", "a", rv);
      String key = store.getKey(full);
      store.put(key, full);
      GenericKubernetesResource slim = store.get(key);
      assertThat(slim.getMetadata().getNamespace()).isEqualTo("shop");
      assertThat(slim.getMetadata().getName()).isEqualTo("a");
      assertThat(slim.getMetadata().getResourceVersion()).isEqualTo(rv);
      assertThat(slim.getMetadata().getLabels()).isNullOrEmpty();
      assertThat(slim.getAdditionalProperties()).isEmpty();
    }
    // a cluster-scoped object has no namespace in its key
    store.put("node-1", object(null, "node-1", "9"));
    assertThat(store.get("node-1").getMetadata().getNamespace()).isNull();
    assertThat(store.get("node-1").getMetadata().getName()).isEqualTo("node-1");
    assertThat(store.size()).isEqualTo(2);
    assertThat(store.values()).hasSize(2);
    // every object taken in first asked the backpressure for room
    assertThat(held).hasValue(6);
    // slim objects know their key without building metadata, and are equal by key and version
    assertThat(store.getKey(store.get("node-1"))).isEqualTo("node-1");
    assertThat(store.get("node-1"))
        .isEqualTo(store.get("node-1"))
        .isNotEqualTo(store.get("shop/a"));
    assertThat(store.remove("node-1").getMetadata().getResourceVersion()).isEqualTo("9");
    assertThat(store.get("node-1")).isNull();
  }

  @Test
  void isNotAFullStateStoreSoListedObjectsAreHandedOverAsTheyArrive() {
    assertThat(new SlimItemStore(() -> {}).isFullState()).isFalse();
    assertThat(SlimItemStore.compact("42")).isEqualTo(42L);
    assertThat(SlimItemStore.compact("042")).isEqualTo("042");
  }
}
