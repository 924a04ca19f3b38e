package io.hindsight.watcher;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One informer per recorded resource type over {@code GenericKubernetesResource}, started and
 * stopped as discovery finds types appear and disappear, and the health of each.
 */
final class InformerSet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InformerSet.class);
  private static final long LIST_PAGE = 500;
  private final KubernetesClient client;
  private final ResourceFilter filter;
  private final ObservationQueue queue;
  private final MaterialWorkers workers;
  private final RelistDetector relists;
  private final long resyncMs;
  private final Clock clock;
  private final BiConsumer<ResourceType, Throwable> onFailure;
  private final Map<String, TrackedInformer> running = new ConcurrentHashMap<>();

  InformerSet(
      KubernetesClient client,
      ResourceFilter filter,
      ObservationQueue queue,
      MaterialWorkers workers,
      RelistDetector relists,
      long resyncMs,
      Clock clock,
      BiConsumer<ResourceType, Throwable> onFailure) {
    this.client = client;
    this.filter = filter;
    this.queue = queue;
    this.workers = workers;
    this.relists = relists;
    this.resyncMs = resyncMs;
    this.clock = clock;
    this.onFailure = onFailure;
  }

  Collection<TrackedInformer> all() {
    return running.values();
  }

  /** The running informer of the type with {@code typeId}, or null. */
  TrackedInformer get(String typeId) {
    return running.get(typeId);
  }

  Set<String> runningIds() {
    return Set.copyOf(running.keySet());
  }

  /**
   * Starts an informer for {@code type}. With {@code gapReason} set, its initial list is a gap of
   * its own (a type found while running); otherwise it is part of the start-up gap.
   */
  synchronized TrackedInformer start(ResourceType type, String gapReason) {
    TrackedInformer existing = running.get(type.id());
    if (existing != null) {
      return existing;
    }
    SharedIndexInformer<GenericKubernetesResource> informer =
        client
            .genericKubernetesResources(type.context())
            .inAnyNamespace()
            // page the initial list and relists: a big type never arrives as one huge answer
            .withLimit(LIST_PAGE)
            .runnableInformer(resyncMs);
    SlimItemStore store = new SlimItemStore(queue);
    informer.itemStore(store);
    // nothing looks objects up by namespace: the index would cost ~50 bytes per object
    informer.removeNamespaceIndex();
    InformerHandler handler = new InformerHandler(type, filter, queue, workers);
    informer.addEventHandler(handler);
    CompletableFuture<Void> started = new CompletableFuture<>();
    TrackedInformer tracked = new TrackedInformer(type, informer, handler, store, started);
    if (gapReason != null) {
      tracked.gapFrom = clock.instant();
      tracked.gapReason = gapReason;
    }
    running.put(type.id(), tracked);
    relists.track(tracked);
    informer
        .stopped()
        .whenComplete(
            (ignored, failure) -> {
              if (!tracked.stoppedByUs) {
                onFailure.accept(
                    type,
                    failure != null ? failure : new IllegalStateException("informer stopped"));
              }
            });
    informer
        .start()
        .whenComplete(
            (ignored, failure) -> {
              if (failure != null) {
                started.completeExceptionally(failure);
              } else {
                started.complete(null);
              }
            });
    LOG.info("informer started for {}", type);
    return tracked;
  }

  synchronized void stop(String typeId) {
    TrackedInformer tracked = running.remove(typeId);
    if (tracked != null) {
      tracked.stoppedByUs = true;
      relists.untrack(tracked.type);
      tracked.informer.stop();
      LOG.info("informer stopped for {}", tracked.type);
    }
  }

  /**
   * Updates every informer's health at {@code now}: marks initial lists that are fully delivered,
   * notes who is watching, and returns the gaps that can now be closed (their informer watches
   * again). Returns whether every informer is healthy.
   */
  boolean check(Instant now, List<TrackedInformer> gapsToClose) {
    markDelivered();
    boolean healthy = true;
    for (TrackedInformer t : running.values()) {
      boolean watching = t.delivered && t.informer.isWatching();
      if (watching && t.gapFrom == null && !t.gapClosing) {
        t.lastSeenWatching = now;
      }
      if (watching && t.gapFrom != null && !t.gapClosing) {
        t.gapClosing = true;
        gapsToClose.add(t);
      }
      healthy &= t.healthy();
    }
    return healthy;
  }

  /**
   * Marks informers whose initial list has reached the handler in full: the list has completed and
   * the handler has seen at least as many adds as the store holds. Safe from any thread.
   */
  void markDelivered() {
    for (TrackedInformer t : running.values()) {
      if (!t.delivered
          && t.started.isDone()
          && !t.started.isCompletedExceptionally()
          && t.handler.adds() >= t.store.size()) {
        t.delivered = true;
      }
    }
  }

  /** Whether every informer has delivered its initial list (ignoring gaps). */
  boolean allDelivered() {
    markDelivered();
    return running.values().stream().allMatch(t -> t.delivered);
  }

  /** Whether a running informer records objects under {@code keyPrefix} (group/Kind/). */
  boolean records(String keyPrefix) {
    return running.values().stream().anyMatch(t -> ObjectKeys.typePrefix(t.type).equals(keyPrefix));
  }

  /**
   * The keys ({@code namespace/name}, or {@code name}) of every object the informer holds now: the
   * store's own strings, so a snapshot of 100k objects costs a set, not 100k new keys.
   */
  Set<String> liveKeys(TrackedInformer tracked) {
    return tracked.store.keySet().collect(Collectors.toCollection(HashSet::new));
  }

  @Override
  public void close() {
    for (String id : Set.copyOf(running.keySet())) {
      stop(id);
    }
  }
}
