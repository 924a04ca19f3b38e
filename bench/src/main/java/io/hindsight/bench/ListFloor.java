package io.hindsight.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.hindsight.testing.kube.KubeApiServer;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The floor under the watcher's end-to-end time: a bare fabric8 informer built like the watcher's
 * (over {@code GenericKubernetesResource}, every namespace, lists paged by 500), timed from before
 * its client is built until its handler has seen all N bench ConfigMaps. No watcher built on
 * list/watch can have published objects it has not listed yet, so N / this time, divided by the raw
 * producer's rate, bounds the end-to-end ratio from above on this machine.
 */
final class ListFloor {
  private static final long PAGE = 500;

  private ListFloor() {}

  static PublishBench.Run run(
      KubeApiServer kube, String namespace, int objects, long bytes, int round, Duration timeout)
      throws TimeoutException {
    Counting handler = new Counting(namespace);
    long t0 = System.nanoTime();
    try (KubernetesClient client =
        new KubernetesClientBuilder().withConfig(kube.config()).build()) {
      SharedIndexInformer<GenericKubernetesResource> informer =
          client
              .genericKubernetesResources("v1", "ConfigMap")
              .inAnyNamespace()
              .withLimit(PAGE)
              .runnableInformer(0);
      informer.addEventHandler(handler);
      informer.start();
      try {
        long end = handler.await(objects, timeout);
        return PublishBench.Run.of(
            "bare-informer", round, objects, bytes, t0, handler.first(), end, handler.firstCount());
      } finally {
        informer.stop();
      }
    }
  }

  /** Counts the bench ConfigMaps an informer hands over and notes when. */
  private static final class Counting implements ResourceEventHandler<GenericKubernetesResource> {
    private final String namespace;
    private int count;
    private long first;
    private long last;

    Counting(String namespace) {
      this.namespace = namespace;
    }

    @Override
    public synchronized void onAdd(GenericKubernetesResource obj) {
      if (namespace.equals(obj.getMetadata().getNamespace())
          && obj.getMetadata().getName().startsWith(ConfigMapMix.NAME_PREFIX)) {
        last = System.nanoTime();
        if (count++ == 0) {
          first = last;
        }
        notifyAll();
      }
    }

    @Override
    public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {}

    @Override
    public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {}

    synchronized long first() {
      return first;
    }

    synchronized int firstCount() {
      return 1;
    }

    synchronized long await(int n, Duration timeout) throws TimeoutException {
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        while (count < n) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new TimeoutException("the bare informer saw " + count + " of " + n + " objects");
          }
          wait(Math.max(1, Math.min(left / 1_000_000, 200)));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      return last;
    }
  }
}
