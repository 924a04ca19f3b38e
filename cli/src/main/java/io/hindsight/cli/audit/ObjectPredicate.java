package io.hindsight.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.hindsight.history.LabelSelector;
import io.hindsight.history.Selection;
import io.hindsight.history.StoredObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which object versions a search looks for: kind ({@code Deployment} or {@code deployment.apps}),
 * name, label selector, and field conditions {@code PATH=VALUE} or {@code PATH!=VALUE} on the
 * object's JSON ({@link JsonPath}; with {@code [*]} a condition holds when any element matches).
 * All given parts must hold.
 */
public final class ObjectPredicate {
  /** One {@code --where} condition. */
  public record Condition(JsonPath path, boolean equal, String value) {
    boolean test(JsonNode object) {
      boolean any = false;
      for (JsonNode node : path.resolve(object)) {
        if (node.isValueNode() && node.asText().equals(value)) {
          any = true;
          break;
        }
      }
      return equal == any;
    }

    @Override
    public String toString() {
      return path + (equal ? "=" : "!=") + value;
    }
  }

  private final Selection selection;
  private final List<Condition> conditions;

  public ObjectPredicate(Selection selection, List<Condition> conditions) {
    this.selection = selection == null ? Selection.EVERYTHING : selection;
    this.conditions = List.copyOf(conditions);
  }

  /** From the commands' options; {@code kind} and {@code name} may be null. */
  public static ObjectPredicate of(String kind, String name, String labels, List<String> where) {
    List<Condition> conditions = new ArrayList<>();
    for (String w : where == null ? List.<String>of() : where) {
      conditions.add(condition(w));
    }
    Selection selection =
        new Selection(
            kind == null ? Set.of() : Set.of(kind),
            Set.of(),
            LabelSelector.parse(labels),
            name == null ? Set.of() : Set.of(name));
    return new ObjectPredicate(selection, conditions);
  }

  /**
   * {@code PATH=VALUE} or {@code PATH!=VALUE}; an {@code =} inside brackets belongs to the path.
   *
   * @throws IllegalArgumentException when there is no operator or the path is not one
   */
  public static Condition condition(String text) {
    int depth = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
      } else if (depth == 0 && c == '=') {
        boolean not = i > 0 && text.charAt(i - 1) == '!';
        String path = text.substring(0, not ? i - 1 : i).trim();
        return new Condition(JsonPath.parse(path), !not, text.substring(i + 1).trim());
      }
    }
    throw new IllegalArgumentException(
        "'"
            + text
            + "' is not a condition: write PATH=VALUE or PATH!=VALUE, e.g."
            + " spec.template.spec.containers[0].image=nginx:1.25");
  }

  public Selection selection() {
    return selection;
  }

  public boolean hasConditions() {
    return !conditions.isEmpty();
  }

  /** Whether this version of the object matches; {@code json} is its parsed JSON. */
  public boolean test(StoredObject object, JsonNode json) {
    if (!selection.matches(object)) {
      return false;
    }
    for (Condition c : conditions) {
      if (!c.test(json)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (!selection.includeKinds().isEmpty()) {
      parts.add("kind " + String.join(",", selection.includeKinds()));
    }
    if (!selection.names().isEmpty()) {
      parts.add("name " + String.join(",", selection.names()));
    }
    if (!selection.labels().matchesEverything()) {
      parts.add("labels " + selection.labels());
    }
    conditions.forEach(c -> parts.add(c.toString()));
    return parts.isEmpty() ? "every object" : String.join(", ", parts);
  }
}
