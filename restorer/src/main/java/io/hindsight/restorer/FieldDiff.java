package io.hindsight.restorer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A field-level diff between two objects, one line per changed leaf: {@code ~ path: old → new},
 * {@code + path: value}, {@code - path: old}. Paths read like {@code
 * spec.template.spec.containers[0].image}. Server bookkeeping (resourceVersion, managedFields,
 * generation, uid, timestamps, status) is left out.
 */
final class FieldDiff {
  static final Set<String> IGNORED =
      Set.of(
          "metadata.resourceVersion",
          "metadata.managedFields",
          "metadata.generation",
          "metadata.uid",
          "metadata.creationTimestamp",
          "metadata.selfLink",
          "status");
  private static final int MAX_LINES = 50;
  private static final int MAX_VALUE = 80;

  private FieldDiff() {}

  static List<String> between(JsonNode before, JsonNode after) {
    List<String> lines = new ArrayList<>();
    walk("", before, after, lines);
    if (lines.size() > MAX_LINES) {
      int more = lines.size() - MAX_LINES;
      lines = new ArrayList<>(lines.subList(0, MAX_LINES));
      lines.add("... and " + more + " more changed fields");
    }
    return lines;
  }

  private static void walk(String path, JsonNode a, JsonNode b, List<String> lines) {
    if (IGNORED.contains(path)) {
      return;
    }
    boolean hasA = a != null && !a.isMissingNode();
    boolean hasB = b != null && !b.isMissingNode();
    if (hasA && hasB && a.equals(b)) {
      return;
    }
    if (hasA && hasB && a.isObject() && b.isObject()) {
      Set<String> fields = new LinkedHashSet<>();
      a.fieldNames().forEachRemaining(fields::add);
      b.fieldNames().forEachRemaining(fields::add);
      for (String field : fields) {
        walk(path.isEmpty() ? field : path + "." + field, a.get(field), b.get(field), lines);
      }
    } else if (hasA && hasB && a.isArray() && b.isArray()) {
      int n = Math.max(a.size(), b.size());
      for (int i = 0; i < n; i++) {
        walk(path + "[" + i + "]", a.get(i), b.get(i), lines);
      }
    } else if (!hasA) {
      lines.add("+ " + path + ": " + show(b));
    } else if (!hasB) {
      lines.add("- " + path + ": " + show(a));
    } else {
      lines.add("~ " + path + ": " + show(a) + " → " + show(b));
    }
  }

  private static String show(JsonNode node) {
    String text = node.toString();
    return text.length() <= MAX_VALUE ? text : text.substring(0, MAX_VALUE - 3) + "...";
  }

  /** The number of leaf fields of {@code node} (what a create adds). */
  static int leaves(JsonNode node) {
    if (node.isObject() || node.isArray()) {
      int n = 0;
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        n += leaves(it.next());
      }
      return n;
    }
    return 1;
  }
}
