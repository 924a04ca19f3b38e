package io.hindsight.restorer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hindsight.history.ObjectId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Objects for unit tests: from YAML text, or from the served JSON captured from a real server. */
final class TestObjects {
  private TestObjects() {}

  static RestoreObject yaml(String yaml) {
    try {
      ObjectNode object = (ObjectNode) JsonTrees.YAML.readTree(yaml);
      return of(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A served object captured by RestorerIT ({@code src/test/resources/served/NAME.json}). */
  static RestoreObject served(String name) {
    try (InputStream in = TestObjects.class.getResourceAsStream("/served/" + name + ".json")) {
      if (in == null) {
        throw new IllegalArgumentException("no served object " + name);
      }
      return of((ObjectNode) JsonTrees.JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static RestoreObject of(ObjectNode object) {
    var meta = object.path("metadata");
    String apiVersion = object.path("apiVersion").asText();
    return new RestoreObject(
        new ObjectId(
            "test",
            KindRef.groupOf(apiVersion),
            object.path("kind").asText(),
            meta.path("namespace").asText(""),
            meta.path("name").asText()),
        object);
  }
}
