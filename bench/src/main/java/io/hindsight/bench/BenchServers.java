package io.hindsight.bench;

import io.hindsight.schemas.Topics;
import io.hindsight.testing.kafka.KafkaBroker;
import io.hindsight.testing.kafka.KafkaBrokers;
import io.hindsight.testing.kube.KubeApiServer;
import io.hindsight.testing.registry.RegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real servers of one bench run: one Kafka broker and one schema registry shared by every
 * benchmark, and a fresh kube-apiserver + etcd per benchmark (an informer caches every namespace,
 * so one benchmark's objects must not sit in another's API server).
 */
final class BenchServers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BenchServers.class);

  private final Path workDir;
  private final KafkaBroker kafka;
  private final RegistryServer registry;
  private final List<KubeApiServer> kubes = new ArrayList<>();

  private BenchServers(Path workDir, KafkaBroker kafka, RegistryServer registry) {
    this.workDir = workDir;
    this.kafka = kafka;
    this.registry = registry;
  }

  static BenchServers start(Path workDir) {
    KafkaBroker kafka = KafkaBrokers.start();
    try {
      RegistryServer registry = RegistryServer.start(workDir.resolve("registry"));
      LOG.info("schema registry at {}", registry.url());
      return new BenchServers(workDir, kafka, registry);
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
  }

  Path workDir() {
    return workDir;
  }

  KafkaBroker kafka() {
    return kafka;
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  String registryUrl() {
    return registry.url();
  }

  /**
   * Deletes the watcher's topics, so the next watcher starts as on a fresh installation: it creates
   * them, and its start-up read of the state topic does not grow with earlier runs' clusters.
   */
  void resetWatcherTopics() {
    List<String> topics = List.of(Topics.CHANGES, Topics.WATCHER_STATE);
    try (Admin admin = kafka.admin()) {
      Set<String> existing = new HashSet<>(admin.listTopics().names().get());
      existing.retainAll(topics);
      if (existing.isEmpty()) {
        return;
      }
      admin.deleteTopics(existing).all().get();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (admin.listTopics().names().get().stream().anyMatch(topics::contains)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topics " + existing + " still exist after 60 s");
        }
        Thread.sleep(100);
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot delete the watcher's topics: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A new API server with its state in {@code workDir/name}; closed with this object. */
  synchronized KubeApiServer kube(String name) {
    KubeApiServer kube = KubeApiServer.start(workDir.resolve(name));
    kubes.add(kube);
    return kube;
  }

  /** Stops an API server early, to give its CPU and memory back before the next benchmark. */
  synchronized void stop(KubeApiServer kube) {
    kube.close();
    kubes.remove(kube);
  }

  @Override
  public synchronized void close() {
    for (KubeApiServer kube : kubes) {
      kube.close();
    }
    kubes.clear();
    try {
      registry.close();
    } finally {
      kafka.close();
    }
  }
}
