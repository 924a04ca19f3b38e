package io.hindsight.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.hindsight.testing.kube.ServedTypes;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What an API server holds, listed the way a user would check it: every object of every listable
 * type (preferred versions) in a namespace, plus chosen cluster-scoped objects, keyed {@code
 * Kind[.group]/name} and kept as the JSON the server served.
 */
final class ServerObjects {
  private ServerObjects() {}

  /** One listing: key → served object. */
  record Listing(Map<String, JsonNode> objects) {
    Map<String, String> versions() {
      Map<String, String> versions = new TreeMap<>();
      objects.forEach(
          (k, o) -> versions.put(k, o.path("metadata").path("resourceVersion").asText()));
      return versions;
    }

    Listing filter(Predicate<JsonNode> keep) {
      Map<String, JsonNode> kept = new TreeMap<>();
      objects.forEach(
          (k, o) -> {
            if (keep.test(o)) {
              kept.put(k, o);
            }
          });
      return new Listing(kept);
    }

    JsonNode get(String key) {
      return objects.get(key);
    }
  }

  /** A listing at one instant: nothing changed between a listing before {@code at} and after. */
  record AtInstant(java.time.Instant at, Listing listing) {}

  static String key(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText();
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    return object.path("kind").asText()
        + (group.isEmpty() ? "" : "." + group)
        + "/"
        + object.path("metadata").path("name").asText();
  }

  /**
   * Everything in {@code namespace} (Events aside: never recorded), its Namespace object, and the
   * cluster-scoped objects named in {@code clusterScoped} ({@code Kind[.group]/name}).
   */
  static Listing list(KubernetesClient client, String namespace, Collection<String> clusterScoped) {
    Map<String, JsonNode> objects = new TreeMap<>();
    Set<String> wanted = Set.copyOf(clusterScoped);
    for (ResourceDefinitionContext type : ServedTypes.listable(client)) {
      if (type.getKind().equals("Event")) {
        continue;
      }
      List<GenericKubernetesResource> items;
      try {
        items =
            type.isNamespaceScoped()
                ? client.genericKubernetesResources(type).inNamespace(namespace).list().getItems()
                : client.genericKubernetesResources(type).list().getItems();
      } catch (KubernetesClientException e) {
        continue; // not listable after all (an aggregated API without its server)
      }
      for (GenericKubernetesResource item : items) {
        JsonNode json = Hindsight.JSON.valueToTree(item);
        String key = key(json);
        boolean own =
            type.isNamespaceScoped()
                || wanted.contains(key)
                || (type.getKind().equals("Namespace")
                    && item.getMetadata().getName().equals(namespace));
        if (own) {
          objects.put(key, json);
        }
      }
    }
    return new Listing(objects);
  }

  /** The field managers that wrote {@code object}. */
  static Set<String> managers(JsonNode object) {
    Set<String> managers = new java.util.TreeSet<>();
    object
        .path("metadata")
        .path("managedFields")
        .forEach(m -> managers.add(m.path("manager").asText()));
    return managers;
  }

  /** The controller owner reference's uid, or null. */
  static String controllerUid(JsonNode object) {
    for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
      if (ref.path("controller").asBoolean()) {
        return ref.path("uid").asText();
      }
    }
    return null;
  }
}
