package io.hindsight.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector in its string form, as {@code kubectl -l} takes it: {@code a=b},
 * {@code a==b}, {@code a!=b}, {@code a in (x,y)}, {@code a notin (x,y)}, {@code a}, {@code !a},
 * comma-separated, all of which must hold.
 */
public final class LabelSelector {
  private static final Pattern SET =
      Pattern.compile("^\\s*([^\\s!=(),]+)\\s+(in|notin)\\s*\\(([^)]*)\\)\\s*");
  private static final Pattern EQUALITY =
      Pattern.compile("^\\s*([^\\s!=(),]+)\\s*(==|=|!=)\\s*([^\\s,()]*)\\s*");
  private static final Pattern EXISTS = Pattern.compile("^\\s*(!?)\\s*([^\\s!=(),]+)\\s*");

  private static final LabelSelector EVERYTHING = new LabelSelector("", List.of());

  private record Requirement(String key, String operator, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        // Set.of(...).contains(null) throws: an absent label equals no value
        case "=" -> value != null && values.contains(value);
        case "!=" -> value == null || !values.contains(value);
        case "in" -> value != null && values.contains(value);
        case "notin" -> value == null || !values.contains(value);
        case "exists" -> value != null;
        case "!exists" -> value == null;
        default -> throw new IllegalStateException(operator);
      };
    }
  }

  private final String text;
  private final List<Requirement> requirements;

  private LabelSelector(String text, List<Requirement> requirements) {
    this.text = text;
    this.requirements = requirements;
  }

  /** The selector that matches every object. */
  public static LabelSelector everything() {
    return EVERYTHING;
  }

  /**
   * Parses {@code text}; blank matches everything.
   *
   * @throws IllegalArgumentException naming the part that is not a requirement
   */
  public static LabelSelector parse(String text) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> requirements = new ArrayList<>();
    String rest = text;
    while (!rest.isBlank()) {
      Matcher set = SET.matcher(rest);
      Matcher equality = EQUALITY.matcher(rest);
      Matcher exists = EXISTS.matcher(rest);
      int end;
      if (set.find()) {
        Set<String> values = Set.copyOf(splitValues(set.group(3), text));
        requirements.add(new Requirement(set.group(1), set.group(2), values));
        end = set.end();
      } else if (equality.find()) {
        String operator = equality.group(2).equals("==") ? "=" : equality.group(2);
        requirements.add(new Requirement(equality.group(1), operator, Set.of(equality.group(3))));
        end = equality.end();
      } else if (exists.find()) {
        String operator = exists.group(1).isEmpty() ? "exists" : "!exists";
        requirements.add(new Requirement(exists.group(2), operator, Set.of()));
        end = exists.end();
      } else {
        throw invalid(text, rest);
      }
      rest = rest.substring(end);
      if (!rest.isEmpty()) {
        if (rest.charAt(0) != ',') {
          throw invalid(text, rest);
        }
        rest = rest.substring(1);
        if (rest.isBlank()) {
          throw invalid(text, ",");
        }
      }
    }
    return new LabelSelector(text.trim(), List.copyOf(requirements));
  }

  private static List<String> splitValues(String values, String text) {
    List<String> out = new ArrayList<>();
    for (String value : values.split(",")) {
      if (value.isBlank()) {
        throw invalid(text, "(" + values + ")");
      }
      out.add(value.trim());
    }
    return out;
  }

  private static IllegalArgumentException invalid(String text, String at) {
    return new IllegalArgumentException(
        "label selector '"
            + text
            + "' is not valid at '"
            + at.trim()
            + "': write requirements like app=web,tier!=db,env in (prod,staging),!legacy");
  }

  public boolean matches(Map<String, String> labels) {
    Map<String, String> present = labels == null ? Map.of() : labels;
    for (Requirement requirement : requirements) {
      if (!requirement.matches(present)) {
        return false;
      }
    }
    return true;
  }

  public boolean matchesEverything() {
    return requirements.isEmpty();
  }

  @Override
  public String toString() {
    return text;
  }
}
