package io.hindsight.bench;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates ConfigMaps of a {@link ConfigMapMix} in the real API server from several threads (fabric8
 * manages ~200 creates/s from one thread, ~500/s from eight).
 */
final class ObjectLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ObjectLoader.class);
  private static final int THREADS = 8;

  /** What one load created. */
  record Loaded(int objects, long dataBytes, double seconds) {
    double perSecond() {
      return objects / seconds;
    }
  }

  private ObjectLoader() {}

  static void createNamespace(KubernetesClient client, String namespace) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  /** Creates objects {@code from} (inclusive) to {@code to} (exclusive) of {@code mix}. */
  static Loaded create(
      KubernetesClient client, String namespace, ConfigMapMix mix, int from, int to) {
    long t0 = System.nanoTime();
    AtomicInteger next = new AtomicInteger(from);
    AtomicLong bytes = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                    ConfigMap object = mix.object(namespace, i);
                    object.getData().values().forEach(v -> bytes.addAndGet(v.length()));
                    client.configMaps().inNamespace(namespace).resource(object).create();
                    if ((i + 1) % 5000 == 0) {
                      LOG.info("created {} ConfigMaps in {}", i + 1, namespace);
                    }
                  }
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("creating ConfigMaps failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating ConfigMaps", e);
    } finally {
      pool.shutdownNow();
    }
    Loaded loaded = new Loaded(to - from, bytes.get(), (System.nanoTime() - t0) / 1e9);
    LOG.info(
        "created {} ConfigMaps ({} mix, {} MiB of data) in {} in {} s: {} objects/s",
        loaded.objects(),
        mix.name(),
        String.format("%.1f", loaded.dataBytes() / 1048576.0),
        namespace,
        String.format("%.1f", loaded.seconds()),
        String.format("%.0f", loaded.perSecond()));
    return loaded;
  }
}
