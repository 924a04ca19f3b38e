package io.hindsight.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each sent change became queryable: changes are added as they are sent (partition, offset,
 * observed-at), and each poll of the table's committed positions makes visible every pending change
 * whose offset lies below its partition's position; its lag is the poll's time minus its
 * observed-at. Only changes marked as measured count (the others warm up). Thread-safe: a sender
 * adds while a poller polls.
 */
final class LagTracker {
  private record Pending(long offset, long observedAtMillis, boolean measured) {}

  private final Map<Integer, ArrayDeque<Pending>> pending = new HashMap<>();
  private final List<Long> lagsMillis = new ArrayList<>();
  private int pendingMeasured;

  synchronized void sent(int partition, long offset, long observedAtMillis, boolean measured) {
    pending
        .computeIfAbsent(partition, p -> new ArrayDeque<>())
        .add(new Pending(offset, observedAtMillis, measured));
    if (measured) {
      pendingMeasured++;
    }
  }

  /** One poll at {@code nowMillis} that found {@code committedNext} (partition → next offset). */
  synchronized void polled(Map<Integer, Long> committedNext, long nowMillis) {
    committedNext.forEach(
        (partition, next) -> {
          ArrayDeque<Pending> queue = pending.get(partition);
          while (queue != null && !queue.isEmpty() && queue.peekFirst().offset() < next) {
            Pending p = queue.pollFirst();
            if (p.measured()) {
              lagsMillis.add(nowMillis - p.observedAtMillis());
              pendingMeasured--;
            }
          }
        });
  }

  synchronized int pendingMeasured() {
    return pendingMeasured;
  }

  /** The lags of the measured changes that became visible, sorted. */
  synchronized long[] sortedLagsMillis() {
    return lagsMillis.stream().mapToLong(Long::longValue).sorted().toArray();
  }
}
