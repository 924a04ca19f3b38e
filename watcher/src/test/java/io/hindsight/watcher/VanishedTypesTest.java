package io.hindsight.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A type is gone only when discoveries a discovery interval apart both lack it — found by the
 * end-to-end FaultsIT: a restarting API server listed some groups late, and the watcher recorded
 * every object of them as deleted, then created again.
 */
class VanishedTypesTest {
  private static final long SECOND = 1_000_000_000L;
  private static final ResourceType FOOS =
      new ResourceType("samplecontroller.k8s.io", "v1alpha1", "Foo", "foos", true);
  private static final ResourceType REVISIONS =
      new ResourceType("apps", "v1", "ControllerRevision", "controllerrevisions", true);

  private final VanishedTypes vanished = new VanishedTypes(Duration.ofSeconds(10));

  @Test
  void absentOnceIsNotGone() {
    assertThat(vanished.confirm(List.of(FOOS, REVISIONS), 0)).isEmpty();
    assertThat(vanished.confirm(List.of(FOOS, REVISIONS), 9 * SECOND)).isEmpty();
  }

  @Test
  void absentAgainAnIntervalLaterIsGoneOnce() {
    vanished.confirm(List.of(FOOS), 0);
    assertThat(vanished.confirm(List.of(FOOS), 10 * SECOND)).containsExactly(FOOS);
    // returned once; a later absence starts over
    assertThat(vanished.confirm(List.of(FOOS), 11 * SECOND)).isEmpty();
  }

  @Test
  void aTypeSeenAgainIsForgiven() {
    vanished.confirm(List.of(FOOS, REVISIONS), 0);
    vanished.confirm(List.of(FOOS), 5 * SECOND); // the apps group is back
    assertThat(vanished.confirm(List.of(FOOS, REVISIONS), 12 * SECOND)).containsExactly(FOOS);
    assertThat(vanished.confirm(List.of(REVISIONS), 22 * SECOND)).containsExactly(REVISIONS);
  }
}
