package io.hindsight.bench;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hindsight.schemas.Topics;
import io.hindsight.testing.kube.KubeApiServer;
import io.hindsight.watcher.WatcherConfig;
import io.hindsight.watcher.WatcherMain;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 2: memory of the watcher per tracked object. For each point N (ascending), the
 * namespace is filled up to N small ConfigMaps, then a fresh watcher process ({@code java -Xmx256m
 * ... WatcherMain}, all resource types, a new cluster name so it publishes everything) starts; once
 * all N changes are committed, its RSS and heap are read, a full GC is run and the heap read again
 * (the live set). The slope over the points is the cost of one tracked object. The baseline,
 * measured the same way at every point: a process holding nothing but a fabric8 informer over the
 * same ConfigMaps ({@link InformerBaselineMain}) — the cache any informer-based watcher must pay.
 */
final class MemoryBench {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryBench.class);
  private static final String NAMESPACE = "bench-memory";
  // the bare informer keeps every full object: enough heap to be measured at every point
  static final List<String> BASELINE_OPTIONS = List.of("-Xmx1g", "-XX:+ExitOnOutOfMemoryError");
  static final int GOAL_OBJECTS = 100_000;
  static final long GOAL_RSS_BYTES = 256L * 1024 * 1024;
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final Duration SETTLE = Duration.ofSeconds(2);

  /** Memory of one process, read once its objects are all in. */
  record Sample(
      long rssBytes,
      long heapUsedBytes,
      long heapCommittedBytes,
      long heapLiveBytes,
      long metaspaceUsedBytes,
      long rssAfterGcBytes,
      long rssPeakBytes) {
    static final Sample NONE = new Sample(-1, -1, -1, -1, -1, -1, -1);

    /**
     * RSS, heap, then a full GC and the heap again (the live set), then RSS again; and the peak RSS
     * of the process's life so far (its start-up included).
     */
    static Sample of(long pid) {
      sleep(SETTLE);
      long rss = ProcessMemory.rssBytes(pid);
      long peak = ProcessMemory.peakRssBytes(pid);
      ProcessMemory.Heap heap = ProcessMemory.heap(pid).orElse(new ProcessMemory.Heap(-1, -1, -1));
      long live = -1;
      if (ProcessMemory.fullGc(pid)) {
        live = ProcessMemory.heap(pid).map(ProcessMemory.Heap::usedBytes).orElse(-1L);
      }
      return new Sample(
          rss,
          heap.usedBytes(),
          heap.committedBytes(),
          live,
          heap.metaspaceUsedBytes(),
          ProcessMemory.rssBytes(pid),
          peak);
    }
  }

  /**
   * The watcher process and the bare-informer baseline over {@code objects} objects; a failure is
   * why that process died (e.g. {@code OutOfMemoryError}), null when it did not.
   */
  record Point(
      int objects,
      double publishSeconds,
      Sample watcher,
      String watcherFailure,
      Sample informer,
      String informerFailure) {
    boolean watcherAlive() {
      return watcherFailure == null;
    }

    boolean informerAlive() {
      return informerFailure == null;
    }
  }

  /** A least-squares line through the points: bytes per object, and MiB at 0 and at the goal. */
  record Slope(double bytesPerObject, double interceptMiB, double atGoalMiB) {
    static Slope of(List<Point> points, java.util.function.ToLongFunction<Point> bytes) {
      Stats.Line line =
          Stats.fit(
              points.stream().map(p -> (double) p.objects()).toList(),
              points.stream().map(p -> (double) bytes.applyAsLong(p)).toList());
      return new Slope(
          line.slope(), line.intercept() / 1048576.0, line.at(GOAL_OBJECTS) / 1048576.0);
    }
  }

  record Result(
      String mix,
      String javaCommand,
      double createPerSecond,
      double meanObjectJsonBytes,
      List<Point> points,
      Slope watcherRss,
      Slope watcherLiveHeap,
      Slope informerRss,
      Slope informerLiveHeap,
      double liveHeapRatioToInformer,
      double liveHeapPerObjectOverJson,
      double nonHeapMiB,
      boolean extrapolated,
      int goalObjects,
      double rssAtGoalMiB,
      double rssPeakAtGoalMiB,
      boolean withinGoal) {}

  private final BenchServers servers;
  private final String runId;

  MemoryBench(BenchServers servers, String runId) {
    this.servers = servers;
    this.runId = runId;
  }

  Result run(List<Integer> targets) throws TimeoutException, IOException {
    List<Integer> sorted = targets.stream().sorted().distinct().toList();
    KubeApiServer kube = servers.kube("kube-memory");
    ConfigMapMix mix = ConfigMapMix.small();
    List<Point> points = new ArrayList<>();
    double created = 0;
    double createSeconds = 0;
    double jsonBytes;
    try (KubernetesClient client = kube.client()) {
      ObjectLoader.createNamespace(client, NAMESPACE);
      int have = 0;
      for (int target : sorted) {
        ObjectLoader.Loaded loaded = ObjectLoader.create(client, NAMESPACE, mix, have, target);
        created += loaded.objects();
        createSeconds += loaded.seconds();
        have = target;
        Point point = measure(kube, target);
        points.add(point);
        if (!point.watcherAlive()) {
          LOG.warn(
              "the watcher died at {} objects ({}); no larger points measured",
              target,
              point.watcherFailure());
          break;
        }
      }
      jsonBytes = meanJsonBytes(client);
    }
    servers.stop(kube);
    List<Point> watcherPoints = points.stream().filter(Point::watcherAlive).toList();
    List<Point> informerPoints = points.stream().filter(Point::informerAlive).toList();
    if (watcherPoints.size() < 2 || informerPoints.size() < 2) {
      throw new IllegalStateException("fewer than two memory points measured: " + points);
    }
    Slope watcherRss = Slope.of(watcherPoints, p -> p.watcher().rssBytes());
    Slope watcherLive = Slope.of(watcherPoints, p -> p.watcher().heapLiveBytes());
    Slope informerRss = Slope.of(informerPoints, p -> p.informer().rssBytes());
    Slope informerLive = Slope.of(informerPoints, p -> p.informer().heapLiveBytes());
    Point largest = watcherPoints.get(watcherPoints.size() - 1);
    boolean extrapolated = largest.objects() < GOAL_OBJECTS;
    // once the committed heap reaches -Xmx, RSS stops following the objects, so the RSS line says
    // little beyond the points; at least the live heap plus what the process holds besides its
    // heap (RSS minus committed heap at the largest point) must be resident
    double nonHeapMiB =
        (largest.watcher().rssBytes() - largest.watcher().heapCommittedBytes()) / 1048576.0;
    double rssAtGoal =
        largest.objects() == GOAL_OBJECTS
            ? largest.watcher().rssBytes() / 1048576.0
            : watcherLive.atGoalMiB() + nonHeapMiB;
    boolean diedBeforeGoal =
        points.stream().anyMatch(p -> !p.watcherAlive() && p.objects() <= GOAL_OBJECTS);
    return new Result(
        mix.name(),
        "java "
            + String.join(" ", WatcherJvmOptions.load())
            + " -cp <watcher runtime classpath> "
            + WatcherMain.class.getName()
            + " (options from "
            + WatcherJvmOptions.FILE
            + ")",
        created / createSeconds,
        jsonBytes,
        points,
        watcherRss,
        watcherLive,
        informerRss,
        informerLive,
        watcherLive.bytesPerObject() / informerLive.bytesPerObject(),
        watcherLive.bytesPerObject() / jsonBytes,
        nonHeapMiB,
        extrapolated,
        GOAL_OBJECTS,
        rssAtGoal,
        extrapolated ? -1 : largest.watcher().rssPeakBytes() / 1048576.0,
        !diedBeforeGoal && rssAtGoal * 1048576.0 <= GOAL_RSS_BYTES);
  }

  /** Mean size of the objects' JSON as the API server serves it (a sample of 500). */
  private static double meanJsonBytes(KubernetesClient client) {
    var sample =
        client
            .configMaps()
            .inNamespace(NAMESPACE)
            .list(new ListOptionsBuilder().withLimit(500L).build())
            .getItems();
    return sample.stream()
        .mapToInt(
            o ->
                client
                    .getKubernetesSerialization()
                    .asJson(o)
                    .getBytes(StandardCharsets.UTF_8)
                    .length)
        .average()
        .orElse(Double.NaN);
  }

  private Point measure(KubeApiServer kube, int objects) throws TimeoutException, IOException {
    String cluster = "bench-memory-" + runId + "-" + objects;
    Path log = servers.workDir().resolve("watcher-memory-" + objects + ".log");
    List<String> command =
        java(WatcherJvmOptions.load(), WatcherClasspath.resolve(), WatcherMain.class.getName());
    watcherConfig(kube, cluster).forEach((k, v) -> command.add(k + "=" + v));
    servers.resetWatcherTopics();
    double publishSeconds = -1;
    Sample watcher = Sample.NONE;
    String watcherFailure = null;
    try (RecordCounter counter =
        new RecordCounter(
            servers.bootstrapServers(),
            Topics.CHANGES,
            PublishBench.benchChanges(servers.registryUrl(), cluster),
            false)) {
      long t0 = System.nanoTime();
      Process process = start(command, log);
      try {
        long end = awaitOrDeath(counter, objects, process, log);
        if (end < 0) {
          watcherFailure = failure(process, log);
        } else {
          publishSeconds = (end - t0) / 1e9;
          watcher = Sample.of(process.pid());
        }
      } finally {
        stop(process);
      }
    }
    Sample informer = Sample.NONE;
    String informerFailure = null;
    try {
      informer = informerBaseline(kube, objects);
    } catch (IllegalStateException e) {
      informerFailure = e.getMessage();
      LOG.warn("the bare informer at {} objects failed: {}", objects, informerFailure);
    }
    LOG.info(
        "{} objects: watcher {}; RSS {} MiB, live heap {} MiB; bare informer RSS {} MiB, live heap"
            + " {} MiB",
        objects,
        watcherFailure == null
            ? "published them in " + Stats.f1(publishSeconds) + " s"
            : "DIED: " + watcherFailure,
        mib(watcher.rssBytes()),
        mib(watcher.heapLiveBytes()),
        mib(informer.rssBytes()),
        mib(informer.heapLiveBytes()));
    return new Point(objects, publishSeconds, watcher, watcherFailure, informer, informerFailure);
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "n/a" : Stats.f1(bytes / 1048576.0);
  }

  /** Why a process exited: the OutOfMemoryError it logged, or its exit code and last error. */
  static String failure(Process process, Path log) throws IOException {
    String text = Files.readString(log);
    if (text.contains("OutOfMemoryError")) {
      int at = text.indexOf("java.lang.OutOfMemoryError");
      int end = at < 0 ? -1 : text.indexOf('\n', at);
      String what =
          at < 0 ? "OutOfMemoryError" : text.substring(at, end < 0 ? text.length() : end).trim();
      return what.replace("java.lang.", "") + " (exit " + process.exitValue() + ")";
    }
    return "exit " + process.exitValue();
  }

  private Sample informerBaseline(KubeApiServer kube, int objects) throws IOException {
    Path log = servers.workDir().resolve("informer-memory-" + objects + ".log");
    String classpath =
        codeSource(InformerBaselineMain.class) + File.pathSeparator + WatcherClasspath.resolve();
    List<String> command = java(BASELINE_OPTIONS, classpath, InformerBaselineMain.class.getName());
    command.add(kube.kubeconfigPath().toString());
    Process process = start(command, log);
    try {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!Files.readString(log).contains("READY ")) {
        if (!process.isAlive()) {
          throw new IllegalStateException(failure(process, log));
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("did not sync within " + TIMEOUT);
        }
        sleep(Duration.ofMillis(100));
      }
      return Sample.of(process.pid());
    } finally {
      stop(process);
    }
  }

  private static List<String> java(List<String> options, String classpath, String mainClass) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    return command;
  }

  private static Process start(List<String> command, Path log) throws IOException {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
        .start();
  }

  private static Path codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** nanoTime when all changes are in, or -1 when the watcher process exited before. */
  private static long awaitOrDeath(RecordCounter counter, int objects, Process process, Path log)
      throws TimeoutException, IOException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      try {
        return counter.awaitCount(objects, Duration.ofSeconds(1));
      } catch (TimeoutException e) {
        if (!process.isAlive()) {
          LOG.warn(
              "the watcher process exited with {} after {} of {} changes; its log {}:\n{}",
              process.exitValue(),
              counter.count(),
              objects,
              log,
              tail(log));
          return -1;
        }
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              "only " + counter.count() + " of " + objects + " changes after " + TIMEOUT);
        }
      }
    }
  }

  private Map<String, String> watcherConfig(KubeApiServer kube, String cluster) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put(WatcherConfig.CLUSTER_NAME, cluster);
    config.put(WatcherConfig.KUBECONFIG, kube.kubeconfigPath().toString());
    config.put(WatcherConfig.BOOTSTRAP_SERVERS, servers.bootstrapServers());
    config.put(WatcherConfig.REGISTRY_URL, servers.registryUrl());
    config.put(WatcherConfig.SEALING_KEY_FILE, servers.workDir().resolve("sealing.key").toString());
    config.put(WatcherConfig.NAMESPACES_INCLUDE, NAMESPACE);
    return config;
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
