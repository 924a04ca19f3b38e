package io.hindsight.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.hindsight.history.Change;
import io.hindsight.history.ObjectId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Candidate recovery points of one namespace, from its timeline: the intervals in which every
 * workload was available ({@link Availability}), the last instant before each change of an object,
 * and the intervals in which objects matched a predicate. Instants follow the reader: the state at
 * T holds every change observed at or before T, so an interval [from, until) contains its start and
 * not its end; changes at the same instant count together.
 */
public final class RecoveryPoints {
  /** The history's time unit: the last instant before a change is this much before it. */
  public static final java.time.Duration RESOLUTION = java.time.Duration.of(1, ChronoUnit.MICROS);

  /**
   * [from, until) in which all {@code workloads} were available; {@code until} null when still so
   * at the end of the history; {@code endedBy} what made one unavailable.
   */
  public record Interval(Instant from, Instant until, int workloads, String endedBy) {}

  /** [from, until) in which the object matched, in the version {@code resourceVersion} first. */
  public record Match(
      ObjectId id, String uid, Instant from, Instant until, String resourceVersion) {}

  private RecoveryPoints() {}

  public static List<Interval> allAvailable(List<Change> changes) {
    Map<ObjectId, Availability.Verdict> workloads = new LinkedHashMap<>();
    List<Interval> out = new ArrayList<>();
    Instant openSince = null;
    int openCount = 0;
    String lastBlocker = null;
    for (int i = 0; i < changes.size(); i++) {
      Change change = changes.get(i);
      ObjectId id = change.object().id();
      if (change.deleted()) {
        if (workloads.remove(id) != null && workloads.isEmpty()) {
          lastBlocker = "no workloads left (" + id.kind() + " " + id.name() + " deleted)";
        }
      } else {
        JsonNode json = Json.parse(change.object().json());
        Optional<Availability.Verdict> verdict = Availability.of(id.kind(), json);
        if (verdict.isPresent()) {
          workloads.put(id, verdict.get());
          if (!verdict.get().available()) {
            lastBlocker = id.kind() + " " + id.name() + ": " + verdict.get().reason();
          }
        } else {
          workloads.remove(id);
        }
      }
      Instant at = change.object().observedAt();
      if (i + 1 < changes.size() && changes.get(i + 1).object().observedAt().equals(at)) {
        continue;
      }
      boolean all =
          !workloads.isEmpty()
              && workloads.values().stream().allMatch(Availability.Verdict::available);
      if (all && openSince == null) {
        openSince = at;
      } else if (!all && openSince != null) {
        out.add(new Interval(openSince, at, openCount, lastBlocker));
        openSince = null;
      }
      if (all) {
        openCount = workloads.size();
      }
    }
    if (openSince != null) {
      out.add(new Interval(openSince, null, workloads.size(), null));
    }
    return out;
  }

  /** Intervals in which versions of objects matched {@code predicate}. */
  public static List<Match> matching(List<Change> changes, ObjectPredicate predicate) {
    Map<ObjectId, Match> open = new LinkedHashMap<>();
    List<Match> out = new ArrayList<>();
    for (Change change : changes) {
      ObjectId id = change.object().id();
      Instant at = change.object().observedAt();
      boolean matches =
          !change.deleted() && predicate.test(change.object(), Json.parse(change.object().json()));
      Match current = open.get(id);
      if (current != null && (!matches || !current.uid().equals(change.object().uid()))) {
        out.add(new Match(id, current.uid(), current.from(), at, current.resourceVersion()));
        open.remove(id);
        current = null;
      }
      if (matches && current == null) {
        open.put(
            id, new Match(id, change.object().uid(), at, null, change.object().resourceVersion()));
      }
    }
    out.addAll(open.values());
    out.sort(java.util.Comparator.comparing(Match::from));
    return out;
  }

  /** The last instant whose state does not hold {@code change}. */
  public static Instant before(Change change) {
    return change.object().observedAt().minus(RESOLUTION);
  }
}
