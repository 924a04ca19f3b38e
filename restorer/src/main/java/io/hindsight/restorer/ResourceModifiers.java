package io.hindsight.restorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Transform: resource modifiers in Velero's file format ({@code version: v1}, {@code
 * resourceModifierRules}), applied last, to the sanitized and mapped object. Each rule has {@code
 * conditions} (all must hold: {@code groupResource} with {@code *} wildcards — {@code groupKind} is
 * accepted as its old name —, {@code resourceNameRegex}, {@code namespaces} (the namespace at T, as
 * Velero), {@code labelSelector} with {@code matchLabels} and {@code matchExpressions}, {@code
 * matches} of {@code path}/{@code value}), and {@code patches} (RFC 6902 JSON patch) and/or {@code
 * mergePatches} (RFC 7386 JSON merge patch, {@code patchData} in YAML or JSON). A failing {@code
 * test} operation skips the rule's JSON patches, as in Velero. {@code strategicPatches} are
 * refused: strategic merge needs each kind's schema (patch strategies and merge keys), which the
 * restorer does not carry.
 */
final class ResourceModifiers {
  /** A modifiers file or rule that cannot be used; the message names the rule and the fix. */
  static final class InvalidModifiersException extends IllegalArgumentException {
    InvalidModifiersException(String message) {
      super(message);
    }
  }

  record Condition(
      Pattern groupResource,
      Pattern name,
      Set<String> namespaces,
      Map<String, String> matchLabels,
      List<JsonNode> matchExpressions,
      List<Map.Entry<String, String>> matches) {}

  record Rule(int index, Condition condition, ArrayNode jsonPatch, List<JsonNode> mergePatches) {}

  static final ResourceModifiers NONE = new ResourceModifiers(List.of());

  private final List<Rule> rules;

  ResourceModifiers(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  List<Rule> rules() {
    return rules;
  }

  /** Reads a modifiers file; every problem is an {@link InvalidModifiersException}. */
  static ResourceModifiers load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new InvalidModifiersException(
          "--modifiers "
              + file
              + ": cannot read the file ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + ")");
    }
    try {
      return parse(text);
    } catch (InvalidModifiersException e) {
      throw new InvalidModifiersException("--modifiers " + file + ": " + e.getMessage());
    }
  }

  static ResourceModifiers parse(String yaml) {
    JsonNode root;
    try {
      root = JsonTrees.YAML.readTree(yaml);
    } catch (IOException e) {
      throw new InvalidModifiersException(
          "not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (!(root instanceof ObjectNode)) {
      throw new InvalidModifiersException(
          "want a mapping with version: v1 and resourceModifierRules");
    }
    onlyFields(root, "the file", "version", "resourceModifierRules");
    if (!"v1".equals(root.path("version").asText())) {
      throw new InvalidModifiersException(
          "version must be v1 (got '" + root.path("version").asText() + "')");
    }
    List<Rule> rules = new ArrayList<>();
    int index = 0;
    for (JsonNode rule : root.path("resourceModifierRules")) {
      rules.add(rule(++index, rule));
    }
    return new ResourceModifiers(rules);
  }

  private static Rule rule(int index, JsonNode rule) {
    String where = "rule " + index;
    onlyFields(rule, where, "conditions", "patches", "mergePatches", "strategicPatches");
    if (rule.has("strategicPatches")) {
      throw new InvalidModifiersException(
          where
              + ": strategicPatches are not supported (strategic merge needs every kind's schema);"
              + " write the change as mergePatches or patches (JSON patch)");
    }
    JsonNode c = rule.path("conditions");
    onlyFields(
        c,
        where + " conditions",
        "groupResource",
        "groupKind",
        "resourceNameRegex",
        "namespaces",
        "labelSelector",
        "matches");
    String groupResource = c.path("groupResource").asText(c.path("groupKind").asText(""));
    if (groupResource.isBlank()) {
      throw new InvalidModifiersException(
          where + ": conditions.groupResource is required (e.g. deployments.apps, pods, *)");
    }
    Pattern name;
    try {
      name =
          c.has("resourceNameRegex") ? Pattern.compile(c.path("resourceNameRegex").asText()) : null;
    } catch (PatternSyntaxException e) {
      throw new InvalidModifiersException(
          where + ": resourceNameRegex is not a regular expression: " + e.getDescription());
    }
    Set<String> namespaces = new java.util.HashSet<>();
    c.path("namespaces").forEach(n -> namespaces.add(n.asText()));
    JsonNode selector = c.path("labelSelector");
    onlyFields(selector, where + " labelSelector", "matchLabels", "matchExpressions");
    Map<String, String> matchLabels = new java.util.LinkedHashMap<>();
    selector
        .path("matchLabels")
        .fields()
        .forEachRemaining(e -> matchLabels.put(e.getKey(), e.getValue().asText()));
    List<JsonNode> expressions = new ArrayList<>();
    for (JsonNode e : selector.path("matchExpressions")) {
      String op = e.path("operator").asText();
      if (!Set.of("In", "NotIn", "Exists", "DoesNotExist").contains(op)) {
        throw new InvalidModifiersException(
            where
                + ": matchExpressions operator '"
                + op
                + "': use In, NotIn, Exists or DoesNotExist");
      }
      expressions.add(e);
    }
    List<Map.Entry<String, String>> matches = new ArrayList<>();
    for (JsonNode m : c.path("matches")) {
      matches.add(Map.entry(m.path("path").asText(), m.path("value").asText()));
    }
    Condition condition =
        new Condition(
            glob(groupResource),
            name,
            Set.copyOf(namespaces),
            Map.copyOf(matchLabels),
            expressions,
            matches);

    ArrayNode patch = JsonTrees.JSON.createArrayNode();
    int p = 0;
    for (JsonNode op : rule.path("patches")) {
      p++;
      onlyFields(op, where + " patch " + p, "operation", "path", "value", "from");
      String operation = op.path("operation").asText();
      if (!Set.of("add", "remove", "replace", "move", "copy", "test").contains(operation)) {
        throw new InvalidModifiersException(
            where
                + " patch "
                + p
                + ": operation '"
                + operation
                + "': use add, remove, replace, move, copy or test");
      }
      if (!op.path("path").asText().startsWith("/")) {
        throw new InvalidModifiersException(
            where + " patch " + p + ": path must be a JSON pointer like /spec/replicas");
      }
      ObjectNode o = patch.addObject().put("op", operation).put("path", op.path("path").asText());
      if (op.has("from")) {
        o.put("from", op.path("from").asText());
      }
      if (op.has("value")) {
        o.set("value", value(op.path("value")));
      }
    }
    List<JsonNode> merges = new ArrayList<>();
    for (JsonNode merge : rule.path("mergePatches")) {
      onlyFields(merge, where + " mergePatch", "patchData");
      try {
        merges.add(JsonTrees.YAML.readTree(merge.path("patchData").asText()));
      } catch (IOException e) {
        throw new InvalidModifiersException(
            where
                + ": mergePatches patchData is not YAML or JSON: "
                + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    return new Rule(index, condition, patch, merges);
  }

  /**
   * A patch value: YAML scalars and structures as they are; a string that reads as JSON (a number,
   * {@code true}, {@code null}, an object, an array, a quoted string) as that JSON — Velero's rule,
   * so {@code value: "3"} is the number 3 and {@code value: "{\"a\": 1}"} an object.
   */
  static JsonNode value(JsonNode value) {
    if (!value.isTextual()) {
      return value;
    }
    String text = value.asText().trim();
    try {
      JsonNode parsed = JsonTrees.JSON.readTree(text);
      if (parsed != null && !parsed.isMissingNode()) {
        return parsed;
      }
    } catch (IOException e) {
      // not JSON: a plain string
    }
    return value;
  }

  private static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char ch : glob.toCharArray()) {
      regex.append(ch == '*' ? ".*" : Pattern.quote(String.valueOf(ch)));
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
  }

  private static void onlyFields(JsonNode node, String where, String... allowed) {
    Set<String> known = Set.of(allowed);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        throw new InvalidModifiersException(
            where
                + ": unknown field '"
                + field
                + "' (allowed: "
                + String.join(", ", allowed)
                + ")");
      }
    }
  }

  /**
   * Applies every matching rule to {@code item}, in file order.
   *
   * @param groupResource the item's {@code plural[.group]}
   * @param sourceNamespace the namespace at T (what {@code namespaces} conditions match)
   * @return the indexes of the rules applied
   * @throws IllegalArgumentException when a patch cannot be applied (path missing, ...)
   */
  List<Integer> apply(RestoreObject item, String groupResource, String sourceNamespace) {
    List<Integer> applied = new ArrayList<>();
    for (Rule rule : rules) {
      if (!matches(rule.condition(), item, groupResource, sourceNamespace)) {
        continue;
      }
      ObjectNode object = item.object();
      if (!rule.jsonPatch().isEmpty() && testsHold(rule.jsonPatch(), object)) {
        try {
          JsonNode patched = JsonPatch.apply(withoutTests(rule.jsonPatch()), object);
          replaceContent(object, (ObjectNode) patched);
        } catch (JsonPatchException | IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "resource modifier rule " + rule.index() + ": " + e.getMessage(), e);
        }
      }
      for (JsonNode merge : rule.mergePatches()) {
        JsonNode merged = mergePatch(object, merge);
        if (!(merged instanceof ObjectNode mergedObject)) {
          throw new IllegalArgumentException(
              "resource modifier rule " + rule.index() + ": the merge patch is not an object");
        }
        replaceContent(object, mergedObject);
      }
      applied.add(rule.index());
    }
    return applied;
  }

  private static void replaceContent(ObjectNode target, ObjectNode source) {
    if (target != source) {
      ObjectNode copy = source.deepCopy();
      target.removeAll();
      target.setAll(copy);
    }
  }

  private static boolean testsHold(ArrayNode patch, JsonNode object) {
    for (JsonNode op : patch) {
      if (op.path("op").asText().equals("test")
          && !object.at(op.path("path").asText()).equals(op.path("value"))) {
        return false;
      }
    }
    return true;
  }

  private static ArrayNode withoutTests(ArrayNode patch) {
    ArrayNode out = JsonTrees.JSON.createArrayNode();
    patch.forEach(
        op -> {
          if (!op.path("op").asText().equals("test")) {
            out.add(op);
          }
        });
    return out;
  }

  /** RFC 7386 JSON merge patch: objects merge recursively, null removes, anything else replaces. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!(patch instanceof ObjectNode patchObject)) {
      return patch.deepCopy();
    }
    ObjectNode result =
        target instanceof ObjectNode targetObject
            ? targetObject.deepCopy()
            : JsonTrees.JSON.createObjectNode();
    patchObject
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isNull()) {
                result.remove(e.getKey());
              } else {
                JsonNode current = result.get(e.getKey());
                result.set(
                    e.getKey(),
                    mergePatch(
                        current == null ? JsonTrees.JSON.nullNode() : current, e.getValue()));
              }
            });
    return result;
  }

  private static boolean matches(
      Condition c, RestoreObject item, String groupResource, String sourceNamespace) {
    if (!c.groupResource().matcher(groupResource).matches()) {
      return false;
    }
    if (c.name() != null && !c.name().matcher(item.name()).matches()) {
      return false;
    }
    if (!c.namespaces().isEmpty() && !c.namespaces().contains(sourceNamespace)) {
      return false;
    }
    JsonNode labels = item.object().path("metadata").path("labels");
    for (Map.Entry<String, String> e : c.matchLabels().entrySet()) {
      if (!e.getValue().equals(labels.path(e.getKey()).asText(null))) {
        return false;
      }
    }
    for (JsonNode e : c.matchExpressions()) {
      String key = e.path("key").asText();
      Set<String> values = new java.util.HashSet<>();
      e.path("values").forEach(v -> values.add(v.asText()));
      boolean has = labels.has(key);
      boolean ok =
          switch (e.path("operator").asText()) {
            case "In" -> has && values.contains(labels.path(key).asText());
            case "NotIn" -> !has || !values.contains(labels.path(key).asText());
            case "Exists" -> has;
            case "DoesNotExist" -> !has;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    for (Map.Entry<String, String> m : c.matches()) {
      JsonNode at = item.object().at(m.getKey());
      if (at.isMissingNode()
          || !(at.isValueNode() ? at.asText() : at.toString()).equals(m.getValue())) {
        return false;
      }
    }
    return true;
  }
}
