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
 * (namespace/name), uid and resourceVersion, about 250 bytes instead of the 3–4 KB of heap a full
 * small ConfigMap costs in fabric8's own cache. The full state is already in Kafka, and the
 * publisher reads it back from there when it needs an object that vanished unseen.
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
  private final Map<String, Slim> items = new ConcurrentHashMap<>();
  private final Backpressure backpressure;

  /** What is kept of one object besides its key. */
  private record Slim(String uid, String resourceVersion) {}

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
    return Cache.metaNamespaceKeyFunc(obj);
  }

  @Override
  public GenericKubernetesResource put(String key, GenericKubernetesResource obj) {
    backpressure.awaitRoom();
    ObjectMeta meta = obj.getMetadata();
    return restore(key, items.put(key, new Slim(meta.getUid(), meta.getResourceVersion())));
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

  /** A slim object: identity, uid and resourceVersion only. */
  private static GenericKubernetesResource restore(String key, Slim slim) {
    if (slim == null) {
      return null;
    }
    int slash = key.indexOf('/');
    ObjectMeta meta = new ObjectMeta();
    meta.setNamespace(slash < 0 ? null : key.substring(0, slash));
    meta.setName(slash < 0 ? key : key.substring(slash + 1));
    meta.setUid(slim.uid());
    meta.setResourceVersion(slim.resourceVersion());
    GenericKubernetesResource object = new GenericKubernetesResource();
    object.setMetadata(meta);
    return object;
  }
}
