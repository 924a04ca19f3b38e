package io.hindsight.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.hindsight.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Real manifests from the shared {@code testdata/} folder (online-boutique Deployments and
 * Services, the mysql StatefulSet, sample-controller's CRD and custom resource), turned into the
 * parts {@link ChangeWorkload} builds objects from: everything but {@code metadata} and {@code
 * status} as JSON members, and the manifest's own name so each generated object can carry its own.
 */
record ManifestTemplates(
    List<Template> deployments,
    List<Template> services,
    Template statefulSet,
    Template crd,
    Template foo) {

  /** One manifest: {@code body} is its JSON members other than apiVersion, kind and metadata. */
  record Template(String apiVersion, String kind, String name, String body) {
    /** The body with the manifest's name replaced by {@code newName}. */
    String bodyFor(String newName) {
      return body.replace(name, newName);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  static ManifestTemplates load() {
    List<Template> boutique = read(TestData.path("online-boutique/v0.7.0.yaml"));
    List<Template> deployments =
        boutique.stream().filter(t -> t.kind().equals("Deployment")).toList();
    List<Template> services = boutique.stream().filter(t -> t.kind().equals("Service")).toList();
    return new ManifestTemplates(
        deployments,
        services,
        read(TestData.path("mysql/mysql-statefulset.yaml")).get(0),
        read(TestData.path("sample-controller/crd.yaml")).get(0),
        read(TestData.path("sample-controller/example-foo.yaml")).get(0));
  }

  /** Templates of every document of a (multi-document) YAML file. */
  static List<Template> read(Path file) {
    List<Template> out = new ArrayList<>();
    try (MappingIterator<JsonNode> docs =
        new YAMLMapper().readerFor(JsonNode.class).readValues(file.toFile())) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || !doc.isObject() || !doc.has("kind")) {
          continue;
        }
        out.add(template((ObjectNode) doc));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read manifests of " + file, e);
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no manifest in " + file);
    }
    return out;
  }

  static Template template(ObjectNode doc) {
    StringBuilder body = new StringBuilder();
    Iterator<Map.Entry<String, JsonNode>> fields = doc.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      if (key.equals("apiVersion")
          || key.equals("kind")
          || key.equals("metadata")
          || key.equals("status")) {
        continue;
      }
      if (!body.isEmpty()) {
        body.append(',');
      }
      try {
        body.append(JSON.writeValueAsString(key))
            .append(':')
            .append(JSON.writeValueAsString(field.getValue()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Template(
        doc.path("apiVersion").asText(),
        doc.path("kind").asText(),
        doc.path("metadata").path("name").asText(),
        body.toString());
  }
}
