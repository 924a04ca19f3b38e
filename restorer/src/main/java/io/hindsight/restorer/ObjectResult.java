package io.hindsight.restorer;

import java.util.List;

/**
 * The outcome for one object: {@code kind} is {@code Kind[.group]}, {@code namespace} and {@code
 * name} where it went (or would go), {@code source} its identity at T; {@code reason} says why it
 * was skipped or failed (or what was special); {@code diff} the field-level changes against the
 * live object, when known.
 */
public record ObjectResult(
    String kind,
    String namespace,
    String name,
    String source,
    Outcome outcome,
    String reason,
    List<String> diff) {

  public ObjectResult {
    reason = reason == null ? "" : reason;
    diff = diff == null ? List.of() : List.copyOf(diff);
  }

  static ObjectResult of(RestoreObject item, Outcome outcome, String reason, List<String> diff) {
    return new ObjectResult(
        item.kindRef().toString(),
        item.namespace(),
        item.name(),
        item.source().toString(),
        outcome,
        reason,
        diff);
  }

  static ObjectResult of(RestoreObject item, Outcome outcome, String reason) {
    return of(item, outcome, reason, List.of());
  }
}
