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

  @Test
  void entriesGiveBackUidAndHashAsTheyCameIn() {
    String uid = "6a1f3c52-7f0e-4d7b-9a51-0c2d8e4b1f00";
    String hash = "0123456789abcdef".repeat(4);
    KnownState.Entry compact = new KnownState.Entry(uid, hash, 3, 42);
    assertThat(compact.uid()).isEqualTo(uid);
    assertThat(compact.hash()).isEqualTo(hash);
    assertThat(compact.hasHash(hash)).isTrue();
    assertThat(compact.hasHash("f" + hash.substring(1))).isFalse();
    assertThat(compact.hasHash("other")).isFalse();
    assertThat(compact.statePartition()).isEqualTo(3);
    assertThat(compact.stateOffset()).isEqualTo(42);
    // forms that would not come back as the same text are kept as text
    for (String odd : new String[] {uid.toUpperCase(), "u-1", ""}) {
      assertThat(new KnownState.Entry(odd, hash, 0, 0).uid()).isEqualTo(odd);
    }
    String upper = hash.toUpperCase();
    KnownState.Entry text = new KnownState.Entry(uid, upper, 0, 0);
    assertThat(text.hash()).isEqualTo(upper);
    assertThat(text.hasHash(upper)).isTrue();
    assertThat(text.hasHash(hash)).isFalse();
  }
}
