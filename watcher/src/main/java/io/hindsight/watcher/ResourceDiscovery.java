package io.hindsight.watcher;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

  /**
   * What one discovery found: the types served, sorted by id, and the API groups that did not
   * answer (an aggregated API without its server, or a server that is restarting). A type of a
   * group that did not answer is unknown, not gone: treating it as gone would record every one of
   * its objects as deleted, and as created again at the next discovery.
   */
  record Discovered(List<ResourceType> types, Set<String> unanswered) {
    Discovered {
      types = List.copyOf(types);
      unanswered = Set.copyOf(unanswered);
    }

    /** Of {@code running}, the types this discovery shows are no longer served. */
    List<ResourceType> noLongerServed(Collection<ResourceType> running) {
      Set<String> served = new HashSet<>();
      types.forEach(t -> served.add(t.id()));
      return running.stream()
          .filter(t -> !served.contains(t.id()) && !unanswered.contains(t.group()))
          .toList();
    }
  }

  /** The recorded types. Throws when the API server cannot be asked at all. */
  Discovered discover() {
    Discovered all = discoverAll();
    return new Discovered(all.types().stream().filter(filter::records).toList(), all.unanswered());
  }

  /**
   * Every listable and watchable type served, recorded or not, sorted by id. The groups are asked
   * at once (a server of 1.20 has about twenty): discovery is on the way to the first list.
   */
  Discovered discoverAll() {
    List<ResourceType> types = new ArrayList<>();
    Set<String> unanswered = new HashSet<>();
    if (!addServed("", "v1", types)) {
      throw new KubernetesClientException("the core API (/api/v1) did not answer");
    }
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
      for (int i = 0; i < perGroup.size(); i++) {
        List<ResourceType> served = perGroup.get(i).join();
        if (served == null) {
          unanswered.add(groups.getGroups().get(i).getName());
        } else {
          types.addAll(served);
        }
      }
    } finally {
      pool.shutdown();
    }
    types.sort(Comparator.comparing(ResourceType::id));
    return new Discovered(types, unanswered);
  }

  /** The group's types, or null when it did not answer. */
  private List<ResourceType> servedIn(APIGroup group) {
    String groupVersion = group.getPreferredVersion().getGroupVersion();
    List<ResourceType> served = new ArrayList<>();
    try {
      if (addServed(group.getName(), version(groupVersion), served)) {
        return served;
      }
      LOG.warn("skipping API group {} for now: its discovery answered 404", groupVersion);
    } catch (KubernetesClientException e) {
      // an aggregated API that is down (metrics.k8s.io without its server) must not stop the rest
      LOG.warn("skipping API group {} for now: discovery failed: {}", groupVersion, e.getMessage());
    }
    return null;
  }

  /** Adds the group version's listable, watchable types; false when it is not found. */
  private boolean addServed(String group, String version, List<ResourceType> into) {
    String groupVersion = group.isEmpty() ? version : group + "/" + version;
    APIResourceList resources = client.getApiResources(groupVersion);
    if (resources == null) {
      return false;
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
    return true;
  }

  private static String version(String groupVersion) {
    int slash = groupVersion.indexOf('/');
    return slash < 0 ? groupVersion : groupVersion.substring(slash + 1);
  }
}
