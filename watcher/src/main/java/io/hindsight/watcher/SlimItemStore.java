package io.hindsight.watcher;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The informers' cache, keeping of each object only what the watcher needs from it: its key
 * (namespace/name) and resourceVersion (as a number when it is one), about 130 bytes instead of the
 * 3–4 KB of heap a full small ConfigMap costs in fabric8's own cache. fabric8 compares
 * resourceVersions to tell updates from resyncs; the uid and the full state are already in Kafka
 * and {@link KnownState}, and the publisher reads the last state back from there when it needs an
 * object that vanished unseen.
 *
 * <p>Not a full-state store ({@link #isFullState()} is false), so fabric8 hands every listed object
 * to the handler as its page arrives instead of collecting the whole initial list first and
 * replaying it from the cache: full objects exist only between the list page and the publisher.
 * Consequences the publisher handles: a resync hands over slim objects (same resourceVersion, never
 * a change), and a relist reports deletions with slim objects.
 *
 * <p>Before an object is taken in, {@link Backpressure} may hold the informer's thread while the
 * publisher is far behind: that pauses reading the list or watch, so memory stays bounded even when
 * the list is read faster than it can be published.
 */
final class SlimItemStore implements ItemStore<GenericKubernetesResource> {
  // key -> resourceVersion: a Long when it is a plain decimal number (as etcd's are), else the text
  private final Map<String, Object> items = new ConcurrentHashMap<>();
  private final Backpressure backpressure;

  SlimItemStore(Backpressure backpressure) {
    this.backpressure = backpressure;
  }

  /** Holds the informer's thread while the publisher is too far behind. */
  interface Backpressure {
    void awaitRoom();
  }

  @Override
  public boolean isFullState() {
    return false;
  }

  @Override
  public String getKey(GenericKubernetesResource obj) {
    return obj instanceof SlimResource slim ? slim.key : Cache.metaNamespaceKeyFunc(obj);
  }

  @Override
  public GenericKubernetesResource put(String key, GenericKubernetesResource obj) {
    backpressure.awaitRoom();
    return restore(key, items.put(key, compact(obj.getMetadata().getResourceVersion())));
  }

  @Override
  public GenericKubernetesResource remove(String key) {
    return restore(key, items.remove(key));
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<GenericKubernetesResource> values() {
    return items.entrySet().stream().map(e -> restore(e.getKey(), e.getValue()));
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public GenericKubernetesResource get(String key) {
    return restore(key, items.get(key));
  }

  /** The resourceVersion as kept: a Long when that gives back the very text. */
  static Object compact(String resourceVersion) {
    if (resourceVersion == null) {
      return "";
    }
    int n = resourceVersion.length();
    if (n == 0 || n > 18 || (n > 1 && resourceVersion.charAt(0) == '0')) {
      return resourceVersion;
    }
    for (int i = 0; i < n; i++) {
      char c = resourceVersion.charAt(i);
      if (c < '0' || c > '9') {
        return resourceVersion;
      }
    }
    return Long.valueOf(resourceVersion);
  }

  private static GenericKubernetesResource restore(String key, Object resourceVersion) {
    return resourceVersion == null ? null : new SlimResource(key, resourceVersion);
  }

  /**
   * A cached object as fabric8 gets it back: identity and resourceVersion only, its metadata made
   * when asked for. fabric8 lists the whole cache at once at the end of every list ({@code
   * retainAll}) and for every resync: with full metadata objects (six empty collections each) that
   * was ~600 bytes per object at once, 55 MB at 100k objects; this is ~100.
   */
  static final class SlimResource extends GenericKubernetesResource {
    private final String key;
    private final Object resourceVersion;

    SlimResource(String key, Object resourceVersion) {
      this.key = key;
      this.resourceVersion = resourceVersion;
    }

    @Override
    public ObjectMeta getMetadata() {
      int slash = key.indexOf('/');
      ObjectMeta meta = new ObjectMeta();
      meta.setNamespace(slash < 0 ? null : key.substring(0, slash));
      meta.setName(slash < 0 ? key : key.substring(slash + 1));
      meta.setResourceVersion(resourceVersion.toString());
      return meta;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof SlimResource slim
          && key.equals(slim.key)
          && resourceVersion.equals(slim.resourceVersion);
    }

    @Override
    public int hashCode() {
      return key.hashCode() * 31 + resourceVersion.hashCode();
    }

    @Override
    public String toString() {
      return "SlimResource(" + key + ", resourceVersion " + resourceVersion + ")";
    }

    @Override
    public void setMetadata(ObjectMeta metadata) {
      // GenericKubernetesResource's constructor does not call it; a slim object stays as it is
      if (metadata != null) {
        throw new UnsupportedOperationException("a slim cached object cannot change");
      }
    }
  }
}
