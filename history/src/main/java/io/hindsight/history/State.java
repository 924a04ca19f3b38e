package io.hindsight.history;

import java.time.Instant;
import java.util.List;

/**
 * The answer to a {@link StateQuery}: every selected object that existed at {@code at}, in the
 * state it had then, ordered by namespace, group, kind and name. {@code completeThrough} is the
 * watermark the answer was checked against; {@code checkpointsUsed} and {@code changesReplayed} say
 * how it was computed.
 */
public record State(
    String cluster,
    Instant at,
    Instant completeThrough,
    List<StoredObject> objects,
    int checkpointsUsed,
    long changesReplayed) {

  public State {
    objects = List.copyOf(objects);
  }
}
