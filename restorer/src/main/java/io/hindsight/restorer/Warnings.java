package io.hindsight.restorer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Warnings of one restore, per kind; thread-safe. */
final class Warnings {
  private final Map<String, List<String>> byKind = new TreeMap<>();

  synchronized void add(String kind, String warning) {
    byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(warning);
  }

  synchronized Map<String, List<String>> snapshot() {
    Map<String, List<String>> copy = new TreeMap<>();
    byKind.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return copy;
  }
}
