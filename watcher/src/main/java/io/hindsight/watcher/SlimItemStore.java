package io.hindsight.watcher;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The informers' cache, keeping of each object only what the watcher needs from it: identity, uid
 * and resourceVersion. fabric8 would keep every full object (about 3–4 KB of heap per small
 * ConfigMap); the full state is already in Kafka, and the publisher reads it back from there when
 * it needs an object that vanished unseen.
 *
 * <p>Objects are kept whole until the initial list has been delivered ({@link #compact()}), because
 * fabric8 delivers the initial adds from its cache. Afterwards, consequences the publisher handles:
 * a resync hands over cached (slim) objects, and a relist reports deletions with cached (slim)
 * objects.
 */
final class SlimItemStore implements ItemStore<GenericKubernetesResource> {
  private final Map<String, GenericKubernetesResource> items = new ConcurrentHashMap<>();

  /**
   * False until the initial list has reached the handler: fabric8 hands the initial adds over from
   * the cache, so until then the cache must hold full objects.
   */
  private volatile boolean slim;

  /** From now on keep slim objects only, and slim what is held. */
  void compact() {
    slim = true;
    items.replaceAll((key, obj) -> slim(obj));
  }

  @Override
  public String getKey(GenericKubernetesResource obj) {
    return Cache.metaNamespaceKeyFunc(obj);
  }

  @Override
  public GenericKubernetesResource put(String key, GenericKubernetesResource obj) {
    return items.put(key, slim ? slim(obj) : obj);
  }

  static GenericKubernetesResource slim(GenericKubernetesResource obj) {
    ObjectMeta meta = new ObjectMeta();
    meta.setName(obj.getMetadata().getName());
    meta.setNamespace(obj.getMetadata().getNamespace());
    meta.setUid(obj.getMetadata().getUid());
    meta.setResourceVersion(obj.getMetadata().getResourceVersion());
    GenericKubernetesResource slim = new GenericKubernetesResource();
    slim.setMetadata(meta);
    return slim;
  }

  @Override
  public GenericKubernetesResource remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<GenericKubernetesResource> values() {
    return items.values().stream();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public GenericKubernetesResource get(String key) {
    return items.get(key);
  }
}
