package io.hindsight.watcher;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.hindsight.watcher.EnvelopeFactory.Material;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few threads that compute the material of observed objects (canonical JSON, hash, Secret
 * sealing: the most expensive step of a change) as soon as an informer hands them over, ahead of
 * and in parallel with the publisher. The publisher still takes observations one by one in queue
 * order and waits for each one's material, so order and every decision stay on its single thread.
 */
final class MaterialWorkers implements AutoCloseable {
  private final EnvelopeFactory envelopes;
  private final ExecutorService pool;

  MaterialWorkers(EnvelopeFactory envelopes, int threads) {
    this.envelopes = envelopes;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "hindsight-material-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** One thread per core, at most four: beyond that the publisher is the limit. */
  static int defaultThreads() {
    return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * Starts computing the material of {@code object}; null once closed (the publisher then computes
   * it itself).
   */
  CompletableFuture<Material> submit(ResourceType type, GenericKubernetesResource object) {
    try {
      return CompletableFuture.supplyAsync(() -> envelopes.material(type, object), pool);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
