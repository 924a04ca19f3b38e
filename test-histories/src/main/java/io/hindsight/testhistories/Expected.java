package io.hindsight.testhistories;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers the script implies, computed from its list of {@link Step}s alone — never from the
 * tables, the reader or SQL. Each row is a list of strings (instants as {@link
 * Instant#toString()}), so any engine's result can be compared after the same rendering.
 */
public final class Expected {
  private final List<Step> steps;

  public Expected(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  private List<Step> of(String namespace, String kind, String name) {
    return steps.stream()
        .filter(s -> s.namespace().equals(namespace))
        .filter(s -> s.kind().equals(kind) && s.name().equals(name))
        .toList();
  }

  /**
   * Who changed the object, change by change: observed-at, event type, and the manager and
   * operation that wrote it. A delete writes nothing into the object: its row names the last
   * writer, as the object's final state does.
   */
  public List<List<String>> whoChanged(String namespace, String kind, String name) {
    List<List<String>> rows = new ArrayList<>();
    String lastManager = null;
    String lastOperation = null;
    for (Step s : of(namespace, kind, name)) {
      if (!s.deleted()) {
        lastManager = s.manager();
        lastOperation = s.operation();
      }
      rows.add(List.of(s.at().toString(), s.eventType(), lastManager, lastOperation));
    }
    return rows;
  }

  /**
   * Every change of the image of the Deployment's first container, named {@code container}:
   * observed-at, event type, container, image.
   */
  public List<List<String>> imageHistory(String namespace, String name, String container) {
    List<List<String>> rows = new ArrayList<>();
    String last = null;
    for (Step s : of(namespace, "Deployment", name)) {
      if (s.image() != null && !s.image().equals(last)) {
        rows.add(List.of(s.at().toString(), s.eventType(), container, s.image()));
        last = s.image();
      }
    }
    return rows;
  }

  /** Deletes in the namespace in [from, to): observed-at, kind, name, uid. */
  public List<List<String>> deleted(String namespace, Instant from, Instant to) {
    List<List<String>> rows = new ArrayList<>();
    for (Step s : steps) {
      if (s.deleted()
          && s.namespace().equals(namespace)
          && !s.at().isBefore(from)
          && s.at().isBefore(to)) {
        rows.add(List.of(s.at().toString(), s.kind(), s.name(), s.uid()));
      }
    }
    return rows;
  }

  /** The live objects of the namespace at T, in their state then; keyed by group/Kind/name. */
  public Map<String, Step> stateAt(String namespace, Instant at) {
    Map<String, Step> state = new TreeMap<>();
    for (Step s : steps) {
      if (s.at().isAfter(at)) {
        break;
      }
      if (!s.namespace().equals(namespace)) {
        continue;
      }
      if (s.deleted()) {
        state.remove(s.objectKey());
      } else {
        state.put(s.objectKey(), s);
      }
    }
    return state;
  }

  /** The state at T as rows: kind, name, uid, resourceVersion, ordered by kind and name. */
  public List<List<String>> stateRows(String namespace, Instant at) {
    Map<String, List<String>> sorted = new TreeMap<>();
    for (Step s : stateAt(namespace, at).values()) {
      sorted.put(
          s.kind() + "\u0000" + s.name(),
          List.of(s.kind(), s.name(), s.uid(), s.resourceVersion()));
    }
    return new ArrayList<>(sorted.values());
  }

  /** Changes per hour (UTC) and kind over the whole cluster: hour, kind, count. */
  public List<List<String>> changesPerKindPerHour() {
    Map<String, Long> counts = new TreeMap<>();
    for (Step s : steps) {
      Instant hour = s.at().truncatedTo(ChronoUnit.HOURS);
      counts.merge(hour + "\u0000" + s.kind(), 1L, Long::sum);
    }
    List<List<String>> rows = new ArrayList<>();
    counts.forEach(
        (k, n) -> {
          String[] parts = k.split("\u0000");
          rows.add(List.of(parts[0], parts[1], String.valueOf(n)));
        });
    return rows;
  }

  /**
   * Intervals [from, until) in which every workload of the namespace that existed was available, by
   * the script's own word ({@link Step#available()}); until is null for an interval still open at
   * the end of the script.
   */
  public List<Instant[]> availableIntervals(String namespace) {
    Map<String, Boolean> workloads = new HashMap<>();
    List<Instant[]> out = new ArrayList<>();
    Instant openSince = null;
    List<Step> ofNamespace = steps.stream().filter(s -> s.namespace().equals(namespace)).toList();
    for (int i = 0; i < ofNamespace.size(); i++) {
      Step s = ofNamespace.get(i);
      if (s.available() == null && !s.deleted()) {
        continue;
      }
      if (s.deleted()) {
        workloads.remove(s.objectKey());
      } else {
        workloads.put(s.objectKey(), s.available());
      }
      // several steps at the same instant count together
      if (i + 1 < ofNamespace.size() && ofNamespace.get(i + 1).at().equals(s.at())) {
        continue;
      }
      boolean all = !workloads.isEmpty() && !workloads.containsValue(Boolean.FALSE);
      if (all && openSince == null) {
        openSince = s.at();
      } else if (!all && openSince != null) {
        out.add(new Instant[] {openSince, s.at()});
        openSince = null;
      }
    }
    if (openSince != null) {
      out.add(new Instant[] {openSince, null});
    }
    return out;
  }

  /** The steps of one object, oldest first. */
  public List<Step> stepsOf(String namespace, String kind, String name) {
    return of(namespace, kind, name);
  }

  /** Every step, by namespace. */
  public Map<String, List<Step>> byNamespace() {
    Map<String, List<Step>> out = new LinkedHashMap<>();
    for (Step s : steps) {
      out.computeIfAbsent(s.namespace(), k -> new ArrayList<>()).add(s);
    }
    return out;
  }
}
