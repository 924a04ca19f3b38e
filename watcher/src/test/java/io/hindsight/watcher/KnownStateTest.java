package io.hindsight.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KnownStateTest {
  @Test
  void aBatchIsSeenThroughButAppliedOnlyOnCommit() {
    KnownState known = new KnownState();
    known.put("/ConfigMap/a/x", new KnownState.Entry("u", "h1", 0, 1));
    KnownState.Batch batch = known.batch();
    batch.put("/ConfigMap/a/y", new KnownState.Entry("u2", "h2", 0, 2));
    batch.remove("/ConfigMap/a/x");
    assertThat(batch.get("/ConfigMap/a/x")).isNull();
    assertThat(batch.get("/ConfigMap/a/y")).isNotNull();
    assertThat(known.get("/ConfigMap/a/x")).isNotNull();
    assertThat(known.get("/ConfigMap/a/y")).isNull();

    batch.commit();
    assertThat(known.get("/ConfigMap/a/x")).isNull();
    assertThat(known.get("/ConfigMap/a/y").hash()).isEqualTo("h2");
    assertThat(known.keysWithPrefix("/ConfigMap/")).containsExactly("/ConfigMap/a/y");
  }

  @Test
  void anAbandonedBatchChangesNothing() {
    KnownState known = new KnownState();
    known.batch().put("/ConfigMap/a/x", new KnownState.Entry("u", "h", 0, 0));
    assertThat(known.size()).isZero();
  }
}
