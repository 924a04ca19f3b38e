package io.hindsight.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Field-level differences between two versions of an object's JSON. Paths are {@link JsonPath}s;
 * lists whose elements are all objects with distinct {@code name}s (containers, env, ports,
 * volumes) are compared by name ({@code containers[name=server].image}), other lists by position.
 * Ignored paths (and everything below them) are left out: by default what the API server assigns
 * rather than what anyone asked for.
 */
public final class FieldDiff {
  /** Fields the server assigns or rewrites on every write; never a change anyone made. */
  public static final Set<String> SERVER_FIELDS =
      Set.of(
          "metadata.resourceVersion",
          "metadata.managedFields",
          "metadata.generation",
          "metadata.selfLink",
          "metadata.annotations[\"kubectl.kubernetes.io/last-applied-configuration\"]");

  /** What {@code diff} also ignores by default: the identity of an incarnation. */
  public static final Set<String> INCARNATION_FIELDS =
      Set.of(
          "metadata.uid",
          "metadata.creationTimestamp",
          "metadata.deletionTimestamp",
          "metadata.deletionGracePeriodSeconds");

  /** One changed field: {@code before} null when added, {@code after} null when removed. */
  public record FieldChange(String path, JsonNode before, JsonNode after) {
    public String op() {
      return before == null ? "added" : after == null ? "removed" : "changed";
    }
  }

  private final Set<String> ignored;

  public FieldDiff(Set<String> ignored) {
    this.ignored = Set.copyOf(ignored);
  }

  /** Differences from {@code before} to {@code after}; either may be null (created, deleted). */
  public List<FieldChange> diff(JsonNode before, JsonNode after) {
    List<FieldChange> out = new ArrayList<>();
    walk("", before, after, out);
    return out;
  }

  private boolean ignored(String path) {
    for (String prefix : ignored) {
      if (path.equals(prefix) || path.startsWith(prefix + ".") || path.startsWith(prefix + "[")) {
        return true;
      }
    }
    return false;
  }

  private void walk(String path, JsonNode before, JsonNode after, List<FieldChange> out) {
    if (!path.isEmpty() && ignored(path)) {
      return;
    }
    boolean hasBefore = before != null && !before.isMissingNode();
    boolean hasAfter = after != null && !after.isMissingNode();
    if (!hasBefore && !hasAfter) {
      return;
    }
    if (hasBefore && hasAfter && before.equals(after)) {
      return;
    }
    if (hasBefore && hasAfter && before.isObject() && after.isObject()) {
      Set<String> names = new LinkedHashSet<>();
      before.fieldNames().forEachRemaining(names::add);
      after.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        walk(JsonPath.field(path, name), before.get(name), after.get(name), out);
      }
      return;
    }
    if (hasBefore && hasAfter && before.isArray() && after.isArray()) {
      Map<String, JsonNode> beforeByName = byName(before);
      Map<String, JsonNode> afterByName = byName(after);
      if (beforeByName != null && afterByName != null) {
        Set<String> names = new LinkedHashSet<>(beforeByName.keySet());
        names.addAll(afterByName.keySet());
        for (String name : names) {
          walk(path + "[name=" + name + "]", beforeByName.get(name), afterByName.get(name), out);
        }
        return;
      }
      int n = Math.max(before.size(), after.size());
      for (int i = 0; i < n; i++) {
        walk(path + "[" + i + "]", before.get(i), after.get(i), out);
      }
      return;
    }
    if (path.isEmpty()) {
      // a whole object created or deleted: list its fields, so ignores apply to them too
      JsonNode only = hasBefore ? before : after;
      if (only.isObject()) {
        for (Iterator<String> it = only.fieldNames(); it.hasNext(); ) {
          String name = it.next();
          walk(
              JsonPath.field("", name),
              hasBefore ? only.get(name) : null,
              hasAfter ? only.get(name) : null,
              out);
        }
        return;
      }
    }
    out.add(new FieldChange(path, hasBefore ? before : null, hasAfter ? after : null));
  }

  /** Elements by their {@code name}, or null when the list is not a list of named objects. */
  private static Map<String, JsonNode> byName(JsonNode array) {
    if (array.isEmpty()) {
      return new HashMap<>();
    }
    Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (JsonNode element : array) {
      JsonNode name = element.get("name");
      if (!element.isObject() || name == null || !name.isTextual() || !seen.add(name.asText())) {
        return null;
      }
      out.put(name.asText(), element);
    }
    return out;
  }
}
