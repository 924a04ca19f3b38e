package io.hindsight.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservationQueueTest {
  @Test
  void stampsNeverGoBackwardsEvenWhenTheClockDoes() throws Exception {
    Instant t = Instant.parse("2026-11-23T10:00:00Z");
    Clock frozen = Clock.fixed(t, ZoneOffset.UTC);
    ObservationQueue queue = new ObservationQueue(10, frozen);
    queue.put(new Observation.Tick());
    queue.put(new Observation.Tick());
    List<Observation.Stamped> out = new ArrayList<>();
    queue.drain(out, 10, 10);
    assertThat(out).hasSize(2);
    assertThat(out.get(1).at()).isAfter(out.get(0).at());
  }

  @Test
  void aFullQueueRefusesWithoutBlocking() {
    ObservationQueue queue = new ObservationQueue(1, Clock.systemUTC());
    assertThat(queue.tryPut(new Observation.Tick())).isTrue();
    assertThat(queue.tryPut(new Observation.Tick())).isFalse();
    assertThat(queue.size()).isEqualTo(1);
  }

  @Test
  void aBatchGathersWhatArrivesWithinTheLingerAndStopsAtItsSize() throws Exception {
    ObservationQueue queue = new ObservationQueue(100, Clock.systemUTC());
    for (int i = 0; i < 5; i++) {
      queue.put(new Observation.Tick());
    }
    List<Observation.Stamped> out = new ArrayList<>();
    // full at once: no waiting for the linger
    long t0 = System.nanoTime();
    assertThat(queue.gather(out, 3, 10_000)).isEqualTo(3);
    assertThat(System.nanoTime() - t0).isLessThan(5_000_000_000L);
    // what arrives while a batch lingers joins it
    out.clear();
    Thread later =
        new Thread(
            () -> {
              await().until(() -> queue.size() == 0);
              queue.put(new Observation.Tick());
            });
    later.start();
    assertThat(queue.gather(out, 10, 2_000)).isEqualTo(3);
    later.join();
    assertThat(out).hasSize(3);
    // nothing queued: nothing gathered
    out.clear();
    assertThat(queue.gather(out, 10, 10)).isZero();
  }
}
