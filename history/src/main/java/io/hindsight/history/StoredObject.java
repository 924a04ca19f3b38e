package io.hindsight.history;

import java.time.Instant;
import java.util.Map;

/**
 * One object as history recorded it: the state a change left it in (or a checkpoint held). {@code
 * json} is the full object as the API server served it, Secret values still sealed ({@code
 * sealKeyId} names the key); {@code kafkaPartition}/{@code kafkaOffset} say which change of {@code
 * hindsight.changes} produced this state.
 */
public record StoredObject(
    ObjectId id,
    String apiVersion,
    String uid,
    String resourceVersion,
    Long generation,
    Instant observedAt,
    String json,
    String objectHash,
    Map<String, String> labels,
    String sealKeyId,
    int kafkaPartition,
    long kafkaOffset) {

  public StoredObject {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public boolean sealed() {
    return sealKeyId != null;
  }
}
