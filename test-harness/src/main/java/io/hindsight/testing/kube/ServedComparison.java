package io.hindsight.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a restored object with the object the server held at T, modulo exactly the fields a
 * server assigns on its own — written independently of the restorer's sanitizer, so a wrong
 * sanitizer shows up as a difference:
 *
 * <ul>
 *   <li>{@code metadata}: uid, resourceVersion, generation, creationTimestamp, managedFields,
 *       selfLink; the uid inside ownerReferences; the {@code deployment.kubernetes.io/revision}
 *       annotation;
 *   <li>{@code status};
 *   <li>Service: {@code spec.clusterIP}/{@code clusterIPs} (unless {@code None}), each port's
 *       {@code nodePort} (auto-assigned);
 *   <li>ServiceAccount: {@code secrets} (the token Secrets' generated names).
 * </ul>
 *
 * Namespace names are compared after mapping: every {@code namespace} field and the Namespace's own
 * name equal to {@code from} are expected as {@code to}.
 */
public final class ServedComparison {
  public static final List<String> IGNORED_METADATA =
      List.of(
          "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink");

  private ServedComparison() {}

  /** The differences, one line each ({@code path: recorded → restored}); empty when equal. */
  public static List<String> differences(
      JsonNode recorded, JsonNode restored, String from, String to) {
    JsonNode expected = normalize(recorded);
    mapNamespace(expected, from, to);
    if ("Namespace".equals(expected.path("kind").asText())
        && from.equals(expected.path("metadata").path("name").asText())) {
      ((ObjectNode) expected.path("metadata")).put("name", to);
    }
    List<String> out = new ArrayList<>();
    diff("", expected, normalize(restored), out);
    return out;
  }

  public static JsonNode normalize(JsonNode object) {
    ObjectNode copy = object.deepCopy();
    copy.remove("status");
    ObjectNode meta = (ObjectNode) copy.path("metadata");
    IGNORED_METADATA.forEach(meta::remove);
    if (meta.path("annotations") instanceof ObjectNode annotations) {
      annotations.remove("deployment.kubernetes.io/revision");
      if (annotations.isEmpty()) {
        meta.remove("annotations");
      }
    }
    meta.path("ownerReferences").forEach(ref -> ((ObjectNode) ref).remove("uid"));
    String kind = copy.path("kind").asText();
    if (kind.equals("Service") && copy.path("spec") instanceof ObjectNode spec) {
      if (!"None".equals(spec.path("clusterIP").asText())) {
        spec.remove("clusterIP");
        spec.remove("clusterIPs");
      }
      spec.path("ports").forEach(port -> ((ObjectNode) port).remove("nodePort"));
    }
    if (kind.equals("ServiceAccount")) {
      copy.remove("secrets");
    }
    return copy;
  }

  private static void mapNamespace(JsonNode node, String from, String to) {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("namespace")
            && e.getValue().isTextual()
            && e.getValue().asText().equals(from)) {
          e.setValue(TextNode.valueOf(to));
        } else {
          mapNamespace(e.getValue(), from, to);
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(child -> mapNamespace(child, from, to));
    }
  }

  private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
    if (a != null && a.equals(b)) {
      return;
    }
    if (a != null && b != null && a.isObject() && b.isObject()) {
      Set<String> fields = new LinkedHashSet<>();
      a.fieldNames().forEachRemaining(fields::add);
      b.fieldNames().forEachRemaining(fields::add);
      fields.forEach(f -> diff(path + "." + f, a.get(f), b.get(f), out));
    } else if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        diff(path + "[" + i + "]", a.get(i), b.get(i), out);
      }
    } else {
      out.add(path + ": " + a + " → " + b);
    }
  }
}
