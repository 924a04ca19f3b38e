package io.hindsight.watcher;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds every resource type the API server serves that can be listed and watched, at each group's
 * preferred version only (visiting every version would record each object once per version).
 * Subresources ({@code pods/log}) are skipped.
 */
final class ResourceDiscovery {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceDiscovery.class);
  private static final int PARALLEL_GROUPS = 8;
  private final KubernetesClient client;
  private final ResourceFilter filter;

  ResourceDiscovery(KubernetesClient client, ResourceFilter filter) {
    this.client = client;
    this.filter = filter;
  }

  /** The recorded types, sorted by id. Throws when the API server cannot be asked. */
  List<ResourceType> discover() {
    return discoverAll().stream().filter(filter::records).toList();
  }

  /**
   * Every listable and watchable type served, recorded or not, sorted by id. The groups are asked
   * at once (a server of 1.20 has about twenty): discovery is on the way to the first list.
   */
  List<ResourceType> discoverAll() {
    List<ResourceType> types = new ArrayList<>();
    addServed("", "v1", types);
    APIGroupList groups = client.getApiGroups();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(PARALLEL_GROUPS, groups.getGroups().size())),
            r -> {
              Thread t = new Thread(r, "hindsight-discovery");
              t.setDaemon(true);
              return t;
            });
    try {
      List<CompletableFuture<List<ResourceType>>> perGroup = new ArrayList<>();
      for (APIGroup group : groups.getGroups()) {
        perGroup.add(CompletableFuture.supplyAsync(() -> servedIn(group), pool));
      }
      for (CompletableFuture<List<ResourceType>> served : perGroup) {
        types.addAll(served.join());
      }
    } finally {
      pool.shutdown();
    }
    types.sort(Comparator.comparing(ResourceType::id));
    return types;
  }

  private List<ResourceType> servedIn(APIGroup group) {
    String groupVersion = group.getPreferredVersion().getGroupVersion();
    List<ResourceType> served = new ArrayList<>();
    try {
      addServed(group.getName(), version(groupVersion), served);
    } catch (KubernetesClientException e) {
      // an aggregated API that is down (metrics.k8s.io without its server) must not stop the rest
      LOG.warn("skipping API group {}: discovery failed: {}", groupVersion, e.getMessage());
    }
    return served;
  }

  private void addServed(String group, String version, List<ResourceType> into) {
    String groupVersion = group.isEmpty() ? version : group + "/" + version;
    APIResourceList resources = client.getApiResources(groupVersion);
    if (resources == null) {
      return;
    }
    for (APIResource r : resources.getResources()) {
      if (r.getName().contains("/")
          || r.getVerbs() == null
          || !r.getVerbs().contains("list")
          || !r.getVerbs().contains("watch")) {
        continue;
      }
      ResourceType type =
          new ResourceType(
              group, version, r.getKind(), r.getName(), Boolean.TRUE.equals(r.getNamespaced()));
      into.add(type);
    }
  }

  private static String version(String groupVersion) {
    int slash = groupVersion.indexOf('/');
    return slash < 0 ? groupVersion : groupVersion.substring(slash + 1);
  }
}
