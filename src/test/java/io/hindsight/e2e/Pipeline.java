package io.hindsight.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hindsight.history.Coverage;
import io.hindsight.history.HistoryException;
import io.hindsight.history.HistoryReader;
import io.hindsight.history.tables.CatalogConfig;
import io.hindsight.testing.kafka.ProcessKafkaBroker;
import io.hindsight.testing.kube.KubeApiServer;
import io.hindsight.testing.process.ChildProcess;
import io.hindsight.testing.process.FreePorts;
import io.hindsight.testing.registry.RegistryServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hindsight as deployed: {@code hindsight watch} and {@code hindsight materialize} as separate
 * processes, a Kafka broker process of their own (restartable), the shared schema registry, a JDBC
 * catalog on SQLite (the embedded history of {@code --data-dir}) and a real API server. One per
 * test class; the cluster name isolates its history, the namespaces its objects.
 *
 * <p>Layout of {@code dir}: {@code kafka/} (the broker), {@code history/} ({@code catalog.db},
 * {@code warehouse/}), {@code streams/} (the streams-app's state), {@code sealing.key}, and the
 * logs ({@code watch.log}, {@code materialize.log}, {@code run-N.out|err} of each restore).
 */
final class Pipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
  static final Duration WAIT = Duration.ofMinutes(3);
  static final int PARTITIONS = 3;

  /** Threads that wait for restore processes run at once (not the common pool: they block). */
  private static final ExecutorService PARALLEL =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "restore-run");
            t.setDaemon(true);
            return t;
          });

  final Path dir;
  final String cluster;
  final KubeApiServer kube;
  final RegistryServer registry;
  final ProcessKafkaBroker kafka;
  final Hindsight hindsight;
  final Path sealingKey;
  final Path history;
  private final int watcherPort = FreePorts.next();
  private final int materializerPort = FreePorts.next();
  private final List<String> watchArgs;
  private final List<String> materializeArgs;
  private final HttpClient http = HttpClient.newHttpClient();
  private ChildProcess watcher;
  private ChildProcess materializer;
  private HistoryReader reader;

  private Pipeline(
      Path dir,
      String cluster,
      KubeApiServer kube,
      RegistryServer registry,
      Map<String, String> watcherOverrides,
      Map<String, String> materializerOverrides) {
    this.dir = dir;
    this.cluster = cluster;
    this.kube = kube;
    this.registry = registry;
    this.hindsight = new Hindsight(dir);
    this.sealingKey = dir.resolve("sealing.key");
    this.history = dir.resolve("history");
    this.kafka = ProcessKafkaBroker.start(dir.resolve("kafka"));

    Map<String, String> watch = new LinkedHashMap<>();
    watch.put("watcher.cluster-name", cluster);
    watch.put("watcher.kubeconfig", kube.kubeconfigPath().toString());
    watch.put("kafka.bootstrap-servers", kafka.bootstrapServers());
    watch.put("kafka.topic-partitions", String.valueOf(PARTITIONS));
    watch.put("schema.registry.url", registry.url());
    watch.put("watcher.sealing-key-file", sealingKey.toString());
    watch.put("watcher.heartbeat-interval-ms", "500");
    watch.put("watcher.discovery-interval-ms", "10000");
    watch.put("watcher.http-port", String.valueOf(watcherPort));
    watch.putAll(watcherOverrides);
    this.watchArgs = args("watch", watch);

    Map<String, String> materialize = new LinkedHashMap<>();
    materialize.put("kafka.bootstrap-servers", kafka.bootstrapServers());
    materialize.put("schema.registry.url", registry.url());
    materialize.put("catalog.uri", "jdbc:sqlite:" + history.resolve("catalog.db"));
    materialize.put("catalog.warehouse", "file:" + history.resolve("warehouse"));
    materialize.put("materializer.application-id", "hindsight-" + cluster);
    materialize.put("materializer.instance-id", cluster + "-1");
    materialize.put("materializer.state-dir", dir.resolve("streams").toString());
    materialize.put("materializer.commit-interval-ms", "500");
    materialize.put("materializer.watermark-interval-ms", "300");
    materialize.put("materializer.checkpoint-interval-ms", "20000");
    materialize.put("materializer.checkpoint-check-interval-ms", "1000");
    materialize.put("materializer.commit-timeout-ms", "60000");
    materialize.put("materializer.http-port", String.valueOf(materializerPort));
    materialize.putAll(materializerOverrides);
    this.materializeArgs = args("materialize", materialize);
  }

  private static List<String> args(String subcommand, Map<String, String> config) {
    List<String> args = new ArrayList<>();
    args.add(subcommand);
    config.forEach((k, v) -> args.add(k + "=" + v));
    return args;
  }

  /**
   * Starts the broker, then the streams-app and the watcher as processes, and returns once both
   * report ready and the history tables exist.
   */
  static Pipeline start(
      Path dir,
      String cluster,
      KubeApiServer kube,
      RegistryServer registry,
      Map<String, String> watcherOverrides,
      Map<String, String> materializerOverrides) {
    long t0 = System.nanoTime();
    Pipeline pipeline =
        new Pipeline(dir, cluster, kube, registry, watcherOverrides, materializerOverrides);
    try {
      // the watcher creates the topic; the streams-app waits for it
      pipeline.startWatcher();
      pipeline.startMaterializer();
      pipeline.awaitReady();
      pipeline.reader =
          await("history tables")
              .atMost(WAIT)
              .ignoreExceptionsInstanceOf(HistoryException.class)
              .until(() -> HistoryReader.open(pipeline.catalog()), r -> r != null);
    } catch (RuntimeException e) {
      pipeline.close();
      throw e;
    }
    LOG.info(
        "pipeline of cluster {} ready in {} ms ({})",
        cluster,
        (System.nanoTime() - t0) / 1_000_000,
        dir);
    return pipeline;
  }

  CatalogConfig catalog() {
    return new CatalogConfig(
        Map.of(
            CatalogConfig.URI, "jdbc:sqlite:" + history.resolve("catalog.db"),
            CatalogConfig.WAREHOUSE, "file:" + history.resolve("warehouse")));
  }

  HistoryReader reader() {
    return reader;
  }

  void startWatcher() {
    if (watcher == null) {
      watcher = hindsight.start("watch", watchArgs);
    } else {
      watcher.start();
    }
  }

  void startMaterializer() {
    if (materializer == null) {
      materializer = hindsight.start("materialize", materializeArgs);
    } else {
      materializer.start();
    }
  }

  ChildProcess watcher() {
    return watcher;
  }

  ChildProcess materializer() {
    return materializer;
  }

  /** SIGKILL: no shutdown hook, no last transaction; returns once the process is gone. */
  static void kill(ChildProcess process) {
    ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
    await(process.name() + " gone").atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive());
  }

  /** Both programs alive and answering {@code /readyz} with 200. */
  void awaitReady() {
    await("watcher and streams-app ready")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              watcher.checkAlive();
              materializer.checkAlive();
              return ready(watcherPort) && ready(materializerPort);
            });
  }

  boolean watcherReady() {
    watcher.checkAlive();
    return ready(watcherPort);
  }

  private boolean ready(int port) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
              .timeout(Duration.ofSeconds(5))
              .build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits until the committed watermark of every partition has passed {@code t}: from then on the
   * history is complete through {@code t} for every namespace and the cluster-scoped objects.
   */
  Coverage awaitCovered(Instant t) {
    return await("history complete through " + t)
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              watcher.checkAlive();
              materializer.checkAlive();
              return reader.coverage(cluster);
            },
            c ->
                c.watermarks().size() == PARTITIONS
                    && c.completeThrough(Optional.empty()).map(w -> !w.isBefore(t)).orElse(false));
  }

  /** An instant for {@code --at}: now, in the tables' precision (microseconds). */
  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * {@code hindsight restore ARGS} against this pipeline's history (the embedded {@code
   * --data-dir}), cluster and sealing key, into its API server unless {@code args} name another
   * {@code --kubeconfig}; {@code -o json} unless {@code args} choose an output.
   */
  Hindsight.Run restore(String... args) {
    List<String> all = new ArrayList<>();
    all.add("restore");
    all.addAll(List.of(args));
    all.addAll(List.of("--data-dir", history.toString()));
    all.addAll(List.of("--cluster", cluster));
    all.addAll(List.of("--sealing-key-file", sealingKey.toString()));
    if (!all.contains("--kubeconfig")) {
      all.addAll(List.of("--kubeconfig", kube.kubeconfigPath().toString()));
    }
    if (!all.contains("-o") && !all.contains("--output")) {
      all.addAll(List.of("-o", "json"));
    }
    Hindsight.Run run = hindsight.run(all);
    LOG.info("hindsight {} → exit {}", String.join(" ", args), run.exitCode());
    return run;
  }

  /** The same restore, expected to complete (exit 0); returns its JSON report. */
  JsonNode restoreCompleted(String... args) {
    Hindsight.Run run = restore(args);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return run.json();
  }

  /**
   * Several restores at once (independent ones: different targets, or none that writes), each as
   * its own process; their runs, in the order asked.
   */
  List<Hindsight.Run> restoreAll(List<String[]> requests) {
    List<CompletableFuture<Hindsight.Run>> runs = new ArrayList<>();
    for (String[] request : requests) {
      runs.add(CompletableFuture.supplyAsync(() -> restore(request), PARALLEL));
    }
    return runs.stream().map(CompletableFuture::join).toList();
  }

  /** {@link #restoreAll}, each expected to complete (exit 0): their JSON reports. */
  List<JsonNode> restoreAllCompleted(List<String[]> requests) {
    List<JsonNode> reports = new ArrayList<>();
    for (Hindsight.Run run : restoreAll(requests)) {
      assertThat(run.exitCode()).as(run.toString()).isZero();
      reports.add(run.json());
    }
    return reports;
  }

  @Override
  public void close() {
    if (reader != null) {
      reader.close();
    }
    for (ChildProcess process : new ChildProcess[] {watcher, materializer}) {
      if (process != null) {
        process.stop();
      }
    }
    kafka.close();
  }
}
