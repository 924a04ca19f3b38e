package io.hindsight.cli;

import io.hindsight.materializer.Materializer;
import io.hindsight.materializer.MaterializerConfig;
import io.hindsight.testing.kafka.ProcessKafkaBroker;
import io.hindsight.testing.registry.RegistryServer;
import io.hindsight.watcher.Watcher;
import io.hindsight.watcher.WatcherConfig;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Hindsight on one machine: a Kafka broker (its own JVM) and the schema registry (its own JVM) on
 * 127.0.0.1, the streams-app and the watcher in this JVM, all under one {@link DataDirectory}.
 * Starting it again on the same folder resumes where it stopped; {@link #close} stops everything it
 * started, in reverse order.
 */
final class EmbeddedStack implements AutoCloseable {
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private ProcessKafkaBroker kafka;
  private RegistryServer registry;
  private Materializer materializer;
  private Watcher watcher;

  /** What to run against: the watched cluster and the settings of the two programs. */
  record Settings(
      DataDirectory data, Map<String, String> watcher, Map<String, String> materializer) {}

  private EmbeddedStack() {}

  /**
   * Starts the servers, then the streams-app, then the watcher; prints one line per step.
   *
   * @throws RuntimeException when a part cannot start (everything started so far is stopped)
   */
  static EmbeddedStack start(Settings settings, Progress progress) {
    EmbeddedStack stack = new EmbeddedStack();
    try {
      stack.startParts(settings, progress);
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private void startParts(Settings settings, Progress progress) {
    DataDirectory data = settings.data();
    progress.step("starting the Kafka broker (KRaft, its own JVM, 127.0.0.1)");
    kafka = ProcessKafkaBroker.start(data.kafka());
    started.push(kafka);
    progress.done();
    progress.step("starting the schema registry (Apicurio, its own JVM, 127.0.0.1)");
    registry = RegistryServer.start(data.registry());
    started.push(registry);
    progress.done();

    Map<String, String> materializerValues = new LinkedHashMap<>(data.catalog());
    materializerValues.put(MaterializerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    materializerValues.put(MaterializerConfig.REGISTRY_URL, registry.url());
    materializerValues.put(MaterializerConfig.STATE_DIR, data.streams().toString());
    materializerValues.put(MaterializerConfig.INSTANCE_ID, "standalone");
    materializerValues.putAll(settings.materializer());
    Map<String, String> watcherValues = new LinkedHashMap<>();
    watcherValues.put(WatcherConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    watcherValues.put(WatcherConfig.REGISTRY_URL, registry.url());
    watcherValues.put(WatcherConfig.SEALING_KEY_FILE, data.sealingKey().toString());
    watcherValues.putAll(settings.watcher());
    WatcherConfig watcherConfig = new WatcherConfig(watcherValues);
    MaterializerConfig materializerConfig = new MaterializerConfig(materializerValues);

    progress.step("starting the watcher");
    watcher = Watcher.start(watcherConfig);
    started.push(watcher);
    progress.done();
    progress.step("starting the streams-app (Iceberg tables in " + data.root() + ")");
    materializer = Materializer.start(materializerConfig);
    started.push(materializer);
    progress.done();
  }

  ProcessKafkaBroker kafka() {
    return kafka;
  }

  RegistryServer registry() {
    return registry;
  }

  Watcher watcher() {
    return watcher;
  }

  Materializer materializer() {
    return materializer;
  }

  /** Completes with the cause when the watcher or the streams-app dies for good. */
  CompletableFuture<Throwable> failure() {
    return CompletableFuture.anyOf(watcher.failure(), materializer.failure())
        .thenApply(Throwable.class::cast);
  }

  @Override
  public synchronized void close() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        // keep stopping the rest
      }
    }
  }

  /** Step lines on the console: "[ 3.1 s] starting X ... done (4.2 s)". */
  static final class Progress {
    private final PrintStream out;
    private final long started = System.nanoTime();

    Progress(PrintStream out) {
      this.out = out;
    }

    void step(String what) {
      out.printf("[%6.1f s] %s ... ", seconds(), what);
      out.flush();
    }

    void done() {
      out.printf("done (%.1f s)%n", seconds());
    }

    double seconds() {
      return (System.nanoTime() - started) / 1e9;
    }
  }
}
