package io.hindsight.restorer;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report of one restore: per-object outcomes, warnings and errors per kind, and the overall
 * {@link Status}.
 */
public record RestoreResult(
    String namespace,
    String toNamespace,
    String at,
    boolean dryRun,
    String outputDir,
    Status status,
    String message,
    List<ObjectResult> objects,
    Map<String, List<String>> warnings,
    double seconds) {

  /** The outcome of the whole restore. */
  public enum Status {
    /** Every object was restored, updated, replaced, pruned or skipped by policy. */
    COMPLETED,
    /** Some objects failed; the others were restored. */
    PARTIALLY_FAILED,
    /** Every object that was tried failed. */
    FAILED,
    /** Nothing was tried: the restore was refused before touching the cluster. */
    REFUSED
  }

  public RestoreResult {
    objects = List.copyOf(objects);
    warnings = Map.copyOf(warnings);
  }

  static Status statusOf(List<ObjectResult> objects) {
    long failed = objects.stream().filter(o -> o.outcome() == Outcome.FAILED).count();
    long tried = objects.stream().filter(o -> o.outcome() != Outcome.SKIPPED).count();
    if (failed == 0) {
      return Status.COMPLETED;
    }
    return failed == tried ? Status.FAILED : Status.PARTIALLY_FAILED;
  }

  /** Objects per outcome. */
  public Map<Outcome, Integer> counts() {
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    objects.forEach(o -> counts.merge(o.outcome(), 1, Integer::sum));
    return counts;
  }

  /** The failure reasons per kind. */
  public Map<String, List<String>> errors() {
    Map<String, List<String>> errors = new TreeMap<>();
    for (ObjectResult o : objects) {
      if (o.outcome() == Outcome.FAILED) {
        errors
            .computeIfAbsent(o.kind(), k -> new ArrayList<>())
            .add(
                (o.namespace().isEmpty() ? o.name() : o.namespace() + "/" + o.name())
                    + ": "
                    + o.reason());
      }
    }
    return errors;
  }

  /** The objects of {@code outcome}. */
  public List<ObjectResult> with(Outcome outcome) {
    return objects.stream().filter(o -> o.outcome() == outcome).toList();
  }
}
