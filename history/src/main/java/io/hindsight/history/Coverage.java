package io.hindsight.history;

import io.hindsight.schemas.NamespacePartitioner;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * How far the history of one cluster reaches: its first recorded change and, per partition of
 * {@code hindsight.changes}, the instant through which every change is in the tables (the committed
 * heartbeat watermark). {@code partitions} is the topic's partition count, which places a namespace
 * in its partition.
 */
public record Coverage(
    String cluster, Instant earliest, Map<Integer, Instant> watermarks, int partitions) {

  public Coverage {
    watermarks = Map.copyOf(watermarks);
  }

  /**
   * The instant through which history of {@code namespace} is complete; for the whole cluster
   * ({@code namespace} empty) the earliest over all partitions. Empty when no partition concerned
   * has a watermark yet.
   */
  public Optional<Instant> completeThrough(Optional<String> namespace) {
    if (namespace.isPresent() && partitions > 0) {
      int p = NamespacePartitioner.partitionOf(cluster, namespace.get(), partitions);
      return Optional.ofNullable(watermarks.get(p));
    }
    if (partitions > 0 && watermarks.size() < partitions) {
      return Optional.empty();
    }
    return watermarks.values().stream().min(Instant::compareTo);
  }
}
