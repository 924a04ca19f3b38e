package io.hindsight.e2e;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user changing things all the time: a thread that creates, updates and deletes ConfigMaps and
 * keeps updating one Secret in a namespace, about ten writes a second, and remembers every write
 * the server confirmed (uid, resourceVersion, when it was sent and answered). Writes the server
 * does not answer (it is down) are counted, and the object is read again before its next write.
 *
 * <p>The objects are written round-robin, so one object changes about once a second: a state lives
 * long against the watch's delivery delay, and "lived entirely outside every gap" is a sharp test.
 */
final class ChangeWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeWriter.class);
  static final String SECRET = "rotating";
  private static final int CONFIG_MAPS = 8;

  /** One confirmed write: the state {@code uid@resourceVersion} existed from about then on. */
  record Write(
      String kind,
      String name,
      String op,
      String uid,
      String resourceVersion,
      Instant sent,
      Instant answered) {
    boolean delete() {
      return op.equals("DELETE");
    }
  }

  private final KubernetesClient client;
  private final String ns;
  private final Random random = new Random(20261123);
  private final List<Write> writes = new ArrayList<>();
  private final Map<String, HasMetadata> live = new HashMap<>();
  private final Map<String, Boolean> unsure = new HashMap<>();
  private final Object lock = new Object();
  private final Thread thread;
  private volatile boolean running = true;
  private boolean paused;
  private boolean busy;
  private int failures;
  private long counter;

  ChangeWriter(Config config, String ns) {
    Config copy = new io.fabric8.kubernetes.client.ConfigBuilder(config).build();
    copy.setRequestTimeout(5_000);
    copy.setConnectionTimeout(2_000);
    copy.setRequestRetryBackoffLimit(0);
    this.client = new KubernetesClientBuilder().withConfig(copy).build();
    this.ns = ns;
    this.thread = new Thread(this::run, "change-writer");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Returns once no write is in flight; none starts until {@link #resume()}. */
  void pause() {
    synchronized (lock) {
      paused = true;
      while (busy) {
        waitOn(1000);
      }
    }
  }

  void resume() {
    synchronized (lock) {
      paused = false;
      lock.notifyAll();
    }
  }

  /** Every confirmed write so far, in order. */
  List<Write> writes() {
    synchronized (lock) {
      return List.copyOf(writes);
    }
  }

  /** Returns once the server has confirmed {@code n} more writes than it had at the call. */
  void awaitMoreWrites(int n) {
    int target = writes().size() + n;
    org.awaitility.Awaitility.await(n + " more writes")
        .atMost(Pipeline.WAIT)
        .pollInterval(java.time.Duration.ofMillis(100))
        .until(() -> writes().size() >= target);
  }

  int failures() {
    synchronized (lock) {
      return failures;
    }
  }

  private void run() {
    while (running) {
      String name;
      synchronized (lock) {
        while (paused && running) {
          waitOn(1000);
        }
        if (!running) {
          return;
        }
        busy = true;
        counter++;
        name = counter % (CONFIG_MAPS + 1) == 0 ? null : "cm-" + (counter % (CONFIG_MAPS + 1) - 1);
      }
      try {
        if (name == null) {
          writeSecret();
        } else {
          writeConfigMap(name);
        }
      } catch (KubernetesClientException e) {
        synchronized (lock) {
          failures++;
          unsure.put(name == null ? SECRET : name, true);
        }
        LOG.debug("write of {} failed: {}", name, e.getMessage());
      } finally {
        synchronized (lock) {
          busy = false;
          lock.notifyAll();
          waitOn(100); // the pace: about ten writes a second
        }
      }
    }
  }

  private void writeConfigMap(String name) {
    var op = client.configMaps().inNamespace(ns).withName(name);
    if (unsure.containsKey(name)) {
      HasMetadata now = op.get(); // where did the unanswered write leave it?
      remember(name, now);
      unsure.remove(name);
    }
    HasMetadata current = live.get(name);
    Instant sent = Instant.now();
    if (current == null) {
      HasMetadata created =
          client
              .configMaps()
              .inNamespace(ns)
              .resource(
                  new ConfigMapBuilder()
                      .withNewMetadata()
                      .withName(name)
                      .endMetadata()
                      .addToData("v", String.valueOf(counter))
                      .build())
              .create();
      record("ConfigMap", name, "CREATE", created, sent);
    } else if (random.nextInt(8) == 0) {
      op.withGracePeriod(0).delete();
      record("ConfigMap", name, "DELETE", current, sent);
    } else {
      HasMetadata updated =
          op.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"v\":\"" + counter + "\"}}");
      record("ConfigMap", name, "UPDATE", updated, sent);
    }
  }

  private void writeSecret() {
    var op = client.secrets().inNamespace(ns).withName(SECRET);
    if (unsure.containsKey(SECRET)) {
      remember(SECRET, op.get());
      unsure.remove(SECRET);
    }
    Instant sent = Instant.now();
    if (live.get(SECRET) == null) {
      HasMetadata created =
          client
              .secrets()
              .inNamespace(ns)
              .resource(
                  new SecretBuilder()
                      .withNewMetadata()
                      .withName(SECRET)
                      .endMetadata()
                      .addToStringData("token", "t" + counter)
                      .build())
              .create();
      record("Secret", SECRET, "CREATE", created, sent);
    } else {
      HasMetadata updated =
          op.patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"stringData\":{\"token\":\"t" + counter + "\"}}");
      record("Secret", SECRET, "UPDATE", updated, sent);
    }
  }

  private void remember(String name, HasMetadata now) {
    synchronized (lock) {
      if (now == null) {
        live.remove(name);
      } else {
        live.put(name, now);
      }
    }
  }

  private void record(String kind, String name, String op, HasMetadata object, Instant sent) {
    Instant answered = Instant.now();
    synchronized (lock) {
      writes.add(
          new Write(
              kind,
              name,
              op,
              object.getMetadata().getUid(),
              object.getMetadata().getResourceVersion(),
              sent,
              answered));
      if (op.equals("DELETE")) {
        live.remove(name);
      } else {
        live.put(name, object);
      }
    }
  }

  private void waitOn(long millis) {
    try {
      lock.wait(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    resume();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.close();
  }
}
