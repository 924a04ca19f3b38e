package io.hindsight.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A path into an object's JSON, as the commands print and take it: fields separated by dots, and in
 * brackets an index ({@code [0]}), any element ({@code [*]}), the element whose field has a value
 * ({@code [name=server]}), or a field whose name has dots or slashes ({@code
 * ["app.kubernetes.io/name"]}). E.g. {@code spec.template.spec.containers[name=server].image},
 * {@code metadata.labels["app.kubernetes.io/name"]}.
 */
public final class JsonPath {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_$-]+");

  sealed interface Segment permits Field, Index, Any, Match {}

  record Field(String name) implements Segment {}

  record Index(int index) implements Segment {}

  record Any() implements Segment {}

  record Match(String field, String value) implements Segment {}

  private final String text;
  private final List<Segment> segments;

  private JsonPath(String text, List<Segment> segments) {
    this.text = text;
    this.segments = List.copyOf(segments);
  }

  /**
   * @throws IllegalArgumentException naming the position that is not a path
   */
  public static JsonPath parse(String text) {
    List<Segment> segments = new ArrayList<>();
    int i = 0;
    int n = text.length();
    if (n == 0) {
      throw invalid(text, 0, "an empty path");
    }
    while (i < n) {
      char c = text.charAt(i);
      if (c == '[') {
        int close = closing(text, i);
        String inside = text.substring(i + 1, close).trim();
        if (inside.equals("*")) {
          segments.add(new Any());
        } else if (inside.matches("\\d+")) {
          segments.add(new Index(Integer.parseInt(inside)));
        } else if (inside.length() >= 2 && inside.startsWith("\"") && inside.endsWith("\"")) {
          segments.add(new Field(inside.substring(1, inside.length() - 1)));
        } else if (inside.indexOf('=') > 0) {
          int eq = inside.indexOf('=');
          segments.add(new Match(inside.substring(0, eq).trim(), inside.substring(eq + 1).trim()));
        } else {
          throw invalid(text, i, "[" + inside + "]");
        }
        i = close + 1;
        if (i < n && text.charAt(i) == '.') {
          i++;
          if (i == n) {
            throw invalid(text, i, "a trailing dot");
          }
        }
      } else {
        int end = i;
        while (end < n && text.charAt(end) != '.' && text.charAt(end) != '[') {
          end++;
        }
        if (end == i) {
          throw invalid(text, i, "an empty field name");
        }
        segments.add(new Field(text.substring(i, end)));
        i = end;
        if (i < n && text.charAt(i) == '.') {
          i++;
          if (i == n) {
            throw invalid(text, i, "a trailing dot");
          }
        }
      }
    }
    return new JsonPath(text, segments);
  }

  private static int closing(String text, int open) {
    boolean quoted = false;
    for (int i = open + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ']' && !quoted) {
        return i;
      }
    }
    throw invalid(text, open, "an unclosed [");
  }

  private static IllegalArgumentException invalid(String text, int at, String what) {
    return new IllegalArgumentException(
        "'"
            + text
            + "' is not a path (at "
            + at
            + ": "
            + what
            + "): write fields with dots and elements in brackets, e.g."
            + " spec.template.spec.containers[0].image, containers[name=server].image,"
            + " metadata.labels[\"app.kubernetes.io/name\"]");
  }

  /** Every node the path reaches in {@code root} (several with {@code [*]}), none if missing. */
  public List<JsonNode> resolve(JsonNode root) {
    List<JsonNode> current = new ArrayList<>();
    if (root != null) {
      current.add(root);
    }
    for (Segment segment : segments) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode node : current) {
        if (segment instanceof Field f) {
          if (node.isObject() && node.has(f.name())) {
            next.add(node.get(f.name()));
          }
        } else if (segment instanceof Index x) {
          if (node.isArray() && x.index() < node.size()) {
            next.add(node.get(x.index()));
          }
        } else if (segment instanceof Any) {
          if (node.isArray() || node.isObject()) {
            node.elements().forEachRemaining(next::add);
          }
        } else if (segment instanceof Match m && node.isArray()) {
          for (JsonNode element : node) {
            JsonNode value = element.get(m.field());
            if (value != null && value.isValueNode() && value.asText().equals(m.value())) {
              next.add(element);
            }
          }
        }
      }
      current = next;
    }
    return current;
  }

  /** {@code parent.name}, with brackets and quotes where the name needs them. */
  static String field(String parent, String name) {
    String part = PLAIN.matcher(name).matches() ? name : "[\"" + name + "\"]";
    if (parent.isEmpty()) {
      return part;
    }
    return part.startsWith("[") ? parent + part : parent + "." + part;
  }

  @Override
  public String toString() {
    return text;
  }
}
