package io.hindsight.watcher;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * What informers and the watcher's own timers hand to the publisher, in one queue, each stamped
 * with the instant it was observed. The queue's order is the publisher's order.
 */
sealed interface Observation {

  /**
   * An informer saw an object added, updated (or resynced), or deleted. {@code material} is its
   * JSON and hash being computed ahead of the publisher, or null when the publisher needs none
   * (resyncs, deletions found by a relist) or must compute it itself.
   */
  record ObjectEvent(
      ResourceType type,
      Kind kind,
      GenericKubernetesResource object,
      GenericKubernetesResource previous,
      boolean finalStateUnknown,
      CompletableFuture<EnvelopeFactory.Material> material)
      implements Observation {
    ObjectEvent(
        ResourceType type,
        Kind kind,
        GenericKubernetesResource object,
        GenericKubernetesResource previous,
        boolean finalStateUnknown) {
      this(type, kind, object, previous, finalStateUnknown, null);
    }

    /** Whether the publisher needs this object's JSON and hash. */
    boolean needsMaterial() {
      return kind != Kind.RESYNC && !(kind == Kind.DELETE && finalStateUnknown);
    }

    ObjectEvent withMaterial(CompletableFuture<EnvelopeFactory.Material> future) {
      return new ObjectEvent(type, kind, object, previous, finalStateUnknown, future);
    }

    enum Kind {
      ADD,
      UPDATE,
      RESYNC,
      DELETE
    }
  }

  /**
   * Of the objects whose compact key starts with {@code keyPrefix} (one type), exactly those whose
   * informer-store key ({@code namespace/name}, or {@code name}) is in {@code liveKeys} exist:
   * anything recorded as existing that is not among them was deleted unseen (while the watcher was
   * down, or with its type).
   */
  record Reconcile(String keyPrefix, Set<String> liveKeys, Predicate<String> namespaceInScope)
      implements Observation {}

  /** Time to send heartbeats, if every informer is watching. */
  record Tick() implements Observation {}

  /**
   * Close a gap: from {@code from} to the instant this is observed, {@code resource} ("*" for all)
   * could not be watched as it changed.
   */
  record CloseGap(String resource, Instant from, String reason, Runnable onPublished)
      implements Observation {}

  /** An observation with the instant it was observed. */
  record Stamped(Instant at, Observation observation) {}
}
