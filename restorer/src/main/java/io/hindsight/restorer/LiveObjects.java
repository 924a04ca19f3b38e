package io.hindsight.restorer;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live objects of the target, listed once per type and namespace (paged) and kept by name: one
 * LIST per type instead of one GET per object.
 */
final class LiveObjects {
  private static final long PAGE = 500;
  private final KubernetesClient client;
  private final Map<String, Map<String, GenericKubernetesResource>> lists =
      new ConcurrentHashMap<>();

  LiveObjects(KubernetesClient client) {
    this.client = client;
  }

  /** The live object, or null. {@code namespace} null for cluster-scoped types. */
  GenericKubernetesResource get(ServedResource type, String namespace, String name) {
    return list(type, namespace).get(name);
  }

  Map<String, GenericKubernetesResource> list(ServedResource type, String namespace) {
    String key = type.kind().lowerKey() + "/" + (namespace == null ? "" : namespace);
    return lists.computeIfAbsent(key, k -> fetch(type.context(type.versions().get(0)), namespace));
  }

  /** Forgets what was listed of {@code type} (after deletes). */
  void forget(ServedResource type, String namespace) {
    lists.remove(type.kind().lowerKey() + "/" + (namespace == null ? "" : namespace));
  }

  private Map<String, GenericKubernetesResource> fetch(
      ResourceDefinitionContext context, String namespace) {
    var op = client.genericKubernetesResources(context);
    Map<String, GenericKubernetesResource> byName = new HashMap<>();
    String next = null;
    do {
      var options = new ListOptionsBuilder().withLimit(PAGE).withContinue(next).build();
      GenericKubernetesResourceList page =
          namespace == null ? op.list(options) : op.inNamespace(namespace).list(options);
      page.getItems().forEach(item -> byName.put(item.getMetadata().getName(), item));
      next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
    } while (next != null && !next.isEmpty());
    return Map.copyOf(byName);
  }
}
