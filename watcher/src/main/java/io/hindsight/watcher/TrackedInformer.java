package io.hindsight.watcher;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** One running informer and what the watcher knows of its health. */
final class TrackedInformer {
  final ResourceType type;
  final SharedIndexInformer<GenericKubernetesResource> informer;
  final InformerHandler handler;
  final SlimItemStore store;
  final CompletableFuture<Void> started;

  /** Set once the initial list has been handed to the handler in full. */
  volatile boolean delivered;

  /** The last tick at which it was watching. */
  volatile Instant lastSeenWatching;

  /** Start of an unclosed gap (a relist, or the start of a type found later), or null. */
  volatile Instant gapFrom;

  volatile String gapReason;

  /** A gap is being closed: keep heartbeats back until it is published. */
  volatile boolean gapClosing;

  volatile boolean stoppedByUs;

  TrackedInformer(
      ResourceType type,
      SharedIndexInformer<GenericKubernetesResource> informer,
      InformerHandler handler,
      SlimItemStore store,
      CompletableFuture<Void> started) {
    this.store = store;
    this.type = type;
    this.informer = informer;
    this.handler = handler;
    this.started = started;
  }

  /** Watching, fully delivered and with no gap open: its part of history is exact up to now. */
  boolean healthy() {
    return delivered && gapFrom == null && !gapClosing && informer.isWatching();
  }
}
