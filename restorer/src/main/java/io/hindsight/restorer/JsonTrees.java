package io.hindsight.restorer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The JSON and YAML mappers of the restorer and the few tree walks its stages share. */
final class JsonTrees {
  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .build());

  private JsonTrees() {}

  static ObjectNode parse(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node instanceof ObjectNode object) {
        return object;
      }
      throw new IllegalArgumentException("not a JSON object: " + abbreviate(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not valid JSON (" + e.getOriginalMessage() + "): " + abbreviate(json), e);
    }
  }

  static String yaml(JsonNode node) {
    try {
      return YAML.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The object at {@code path} (field names), or null when a step is missing or not an object. */
  static ObjectNode object(JsonNode root, String... path) {
    JsonNode node = root;
    for (String step : path) {
      node = node == null ? null : node.get(step);
    }
    return node instanceof ObjectNode object ? object : null;
  }

  static ArrayNode array(JsonNode root, String... path) {
    JsonNode node = root;
    for (String step : path) {
      node = node == null ? null : node.get(step);
    }
    return node instanceof ArrayNode array ? array : null;
  }

  /** Each object element of the array at {@code path}. */
  static void forEachObject(JsonNode root, Consumer<ObjectNode> action, String... path) {
    ArrayNode array = array(root, path);
    if (array != null) {
      for (JsonNode element : array) {
        if (element instanceof ObjectNode object) {
          action.accept(object);
        }
      }
    }
  }

  /**
   * Every pod spec in {@code object}: a Pod's {@code spec}, a template's {@code
   * spec.template.spec}, a CronJob's {@code spec.jobTemplate.spec.template.spec}.
   */
  static List<ObjectNode> podSpecs(ObjectNode object) {
    List<ObjectNode> specs = new ArrayList<>();
    if ("Pod".equals(object.path("kind").asText())) {
      add(specs, object(object, "spec"));
    }
    add(specs, object(object, "spec", "template", "spec"));
    add(specs, object(object, "spec", "jobTemplate", "spec", "template", "spec"));
    return specs;
  }

  /** The containers, init containers and ephemeral containers of a pod spec. */
  static List<ObjectNode> containers(ObjectNode podSpec) {
    List<ObjectNode> containers = new ArrayList<>();
    for (String field : List.of("containers", "initContainers", "ephemeralContainers")) {
      forEachObject(podSpec, containers::add, field);
    }
    return containers;
  }

  private static void add(List<ObjectNode> list, ObjectNode node) {
    if (node != null) {
      list.add(node);
    }
  }

  /** Removes {@code field} from the object at {@code path}, if both exist. */
  static void remove(ObjectNode root, String field, String... path) {
    ObjectNode parent = path.length == 0 ? root : object(root, path);
    if (parent != null) {
      parent.remove(field);
    }
  }

  static String abbreviate(String text) {
    return text.length() <= 120 ? text : text.substring(0, 117) + "...";
  }
}
