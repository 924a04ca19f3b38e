package io.hindsight.testhistories;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hindsight.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real manifests of the shared testdata folder, one JSON tree per YAML document. */
public final class Manifests {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Manifests() {}

  /** Every non-empty document of {@code relative} (a path inside the testdata folder). */
  public static List<ObjectNode> load(String relative) {
    Path file = TestData.path(relative);
    List<ObjectNode> out = new ArrayList<>();
    try (var parser = YAML.createParser(file.toFile())) {
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode doc = it.next();
        if (doc instanceof ObjectNode object && object.has("kind")) {
          out.add(object);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return out;
  }
}
