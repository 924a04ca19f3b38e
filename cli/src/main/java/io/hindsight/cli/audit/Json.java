package io.hindsight.cli.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** JSON in and the commands' json and yaml output out. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          // resourceVersion "1044" stays a string for YAML readers
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .build();

  private Json() {}

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "a recorded object is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static String render(JsonNode tree, OutputFormat format) {
    try {
      return switch (format) {
        case json -> PRETTY.writeValueAsString(tree) + "\n";
        case yaml -> YAML.writeValueAsString(tree);
        case text -> throw new IllegalArgumentException("text is rendered by the command");
      };
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A value for one line of text: scalars as they are, others as compact JSON, cut at 120. */
  static String brief(JsonNode value) {
    if (value == null || value.isNull()) {
      return "(none)";
    }
    String text = value.isValueNode() ? value.asText() : value.toString();
    if (value.isTextual() && text.contains("\n")) {
      text = value.toString();
    }
    return text.length() > 120 ? text.substring(0, 117) + "..." : text;
  }
}
