package io.hindsight.watcher;

import static org.assertj.core.api.Assertions.assertThat;

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
}
