package io.hindsight.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the discovery of a real API server and trims it to what the simulated API server serves: of
 * each group only its preferred version (the mock stores each version apart and converts nothing),
 * of each version only the types that can be listed and watched with their {@code status}
 * subresource (the mock's CRUD serves those; not scale, log, exec, eviction, token or the
 * create-only reviews), and no group left empty. The server's own address is left out.
 */
final class DiscoveryRecorder {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final KubernetesClient client;

  DiscoveryRecorder(KubernetesClient client) {
    this.client = client;
  }

  /** Path → trimmed document, in the order {@link RecordedDiscovery#load()} reads them. */
  Map<String, JsonNode> record() {
    Map<String, JsonNode> documents = new LinkedHashMap<>();
    documents.put("/version", get("/version"));
    ObjectNode api = (ObjectNode) get("/api");
    api.remove("serverAddressByClientCIDRs");
    documents.put("/api", api);
    for (JsonNode version : api.path("versions")) {
      documents.put("/api/" + version.asText(), trimmedResources("/api/" + version.asText()));
    }
    ObjectNode apis = (ObjectNode) get("/apis");
    ArrayNode kept = JSON.createArrayNode();
    Map<String, JsonNode> groupDocuments = new LinkedHashMap<>();
    for (JsonNode group : apis.path("groups")) {
      String preferred = group.path("preferredVersion").path("groupVersion").asText();
      ObjectNode resources = trimmedResources("/apis/" + preferred);
      if (resources.path("resources").isEmpty()) {
        continue;
      }
      ObjectNode trimmedGroup = preferredOnly((ObjectNode) group);
      kept.add(trimmedGroup);
      ObjectNode groupDocument =
          preferredOnly((ObjectNode) get("/apis/" + group.path("name").asText()));
      groupDocuments.put("/apis/" + group.path("name").asText(), groupDocument);
      groupDocuments.put("/apis/" + preferred, resources);
    }
    apis.set("groups", kept);
    documents.put("/apis", apis);
    documents.putAll(groupDocuments);
    return documents;
  }

  private ObjectNode trimmedResources(String path) {
    ObjectNode list = (ObjectNode) get(path);
    Set<String> listable = new HashSet<>();
    for (JsonNode r : list.path("resources")) {
      String name = r.path("name").asText();
      Set<String> verbs = new HashSet<>();
      r.path("verbs").forEach(v -> verbs.add(v.asText()));
      if (!name.contains("/") && verbs.contains("list") && verbs.contains("watch")) {
        listable.add(name);
      }
    }
    ArrayNode kept = JSON.createArrayNode();
    for (JsonNode r : list.path("resources")) {
      String name = r.path("name").asText();
      if (listable.contains(name)
          || name.endsWith("/status")
              && listable.contains(name.substring(0, name.length() - "/status".length()))) {
        kept.add(r);
      }
    }
    list.set("resources", kept);
    return list;
  }

  private static ObjectNode preferredOnly(ObjectNode group) {
    group.remove("serverAddressByClientCIDRs");
    ArrayNode versions = JSON.createArrayNode();
    versions.add(group.path("preferredVersion").deepCopy());
    group.set("versions", versions);
    return group;
  }

  private JsonNode get(String path) {
    try {
      return JSON.readTree(
          client.raw(client.getMasterUrl().toString().replaceAll("/$", "") + path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }
}
