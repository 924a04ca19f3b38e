package io.hindsight.bench;

import io.hindsight.testing.kube.KubeApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bench program. Usage: {@code bench/run
 * [all|capture|publish|memory|restore|materialize|throughput|lag|history] [--objects=N]
 * [--rounds=R] [--memory-points=N1,N2,...] [--restore-objects=N] [materialize options]
 * [--results=DIR] [--no-save]}. {@code all} (the default) runs everything: {@code capture} is both
 * benchmarks of the capture slice, {@code restore} the restorer's apply rate (its own API server,
 * no broker), {@code materialize} the three of the materialize slice; the figures go to stdout as a
 * table and to {@code bench/results/<time>.json}.
 */
public final class BenchMain {
  private static final Logger LOG = LoggerFactory.getLogger(BenchMain.class);

  /** The parsed command line. */
  record Options(
      String benchmark,
      int objects,
      int rounds,
      List<Integer> memoryPoints,
      int restoreObjects,
      Path results,
      boolean save,
      MaterializeBench.Settings materialize) {
    static final String USAGE =
        "usage: bench/run [all|capture|publish|memory|restore|materialize|throughput|lag|history]"
            + " [--objects=N] [--rounds=R] [--memory-points=N1,N2,...] [--restore-objects=N]"
            + MaterializeBench.Settings.USAGE
            + " [--results=DIR] [--no-save]";
    static final List<String> BENCHMARKS =
        List.of(
            "all",
            "capture",
            "publish",
            "memory",
            "restore",
            "materialize",
            "throughput",
            "lag",
            "history");

    static Options parse(String[] args, Path root) {
      String benchmark = "all";
      int objects = 10_000;
      int rounds = 2;
      int restoreObjects = 1_000;
      List<Integer> points = List.of(10_000, 20_000);
      Path results = root.resolve("bench/results");
      boolean save = true;
      Map<String, String> materialize = new HashMap<>();
      for (String arg : args) {
        if (!arg.startsWith("--")) {
          benchmark = arg.toLowerCase(Locale.ROOT);
          if (!BENCHMARKS.contains(benchmark)) {
            throw new IllegalArgumentException("unknown benchmark '" + arg + "'; " + USAGE);
          }
        } else if (arg.startsWith("--objects=")) {
          objects = positive(arg);
        } else if (arg.startsWith("--restore-objects=")) {
          restoreObjects = positive(arg);
        } else if (arg.startsWith("--rounds=")) {
          rounds = positive(arg);
        } else if (arg.startsWith("--memory-points=")) {
          points =
              Arrays.stream(value(arg).split(","))
                  .map(String::trim)
                  .map(Integer::parseInt)
                  .sorted()
                  .toList();
          if (points.size() < 2 || points.get(0) <= 0) {
            throw new IllegalArgumentException(
                "--memory-points needs at least two positive counts, e.g. 10000,20000,40000");
          }
        } else if (arg.startsWith("--results=")) {
          results = Path.of(value(arg));
        } else if (arg.equals("--no-save")) {
          save = false;
        } else if (arg.contains("=")
            && MaterializeBench.Settings.KEYS.contains(arg.substring(2, arg.indexOf('=')))) {
          materialize.put(arg.substring(2, arg.indexOf('=')), value(arg));
        } else {
          throw new IllegalArgumentException("unknown option '" + arg + "'; " + USAGE);
        }
      }
      return new Options(
          benchmark,
          objects,
          rounds,
          points,
          restoreObjects,
          results,
          save,
          MaterializeBench.Settings.of(materialize));
    }

    boolean runs(String name) {
      return benchmark.equals("all")
          || benchmark.equals(name)
          || (benchmark.equals("capture") && List.of("publish", "memory").contains(name))
          || (benchmark.equals("materialize") && MaterializeBench.PARTS.contains(name));
    }

    /** Only the history part needs no servers (it writes Iceberg directly). */
    boolean needsServers() {
      return runs("publish") || runs("memory") || runs("throughput") || runs("lag");
    }

    private static String value(String arg) {
      return arg.substring(arg.indexOf('=') + 1);
    }

    private static int positive(String arg) {
      int n = Integer.parseInt(value(arg));
      if (n <= 0) {
        throw new IllegalArgumentException(arg + ": must be positive");
      }
      return n;
    }
  }

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    Path root = WatcherClasspath.projectRoot();
    Options options;
    try {
      options = Options.parse(args, root);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String runId = Long.toString(started.getEpochSecond(), 36);
    Path work = root.resolve("bench/target/work-" + runId);
    Files.createDirectories(work);
    LOG.info("bench {} (run {}), state and logs in {}", options, runId, work);
    MachineInfo machine = MachineInfo.current();
    LoadAverage load = LoadAverage.now();
    long t0 = System.nanoTime();
    PublishBench.Result publish = null;
    MemoryBench.Result memory = null;
    MaterializeBench.Result materialize = null;
    RestoreBench.Result restore = null;
    String kafka;
    try (BenchServers servers = options.needsServers() ? BenchServers.start(work) : null) {
      kafka = servers == null ? null : servers.kafka().description();
      if (options.runs("publish")) {
        publish = new PublishBench(servers, runId).run(options.objects(), options.rounds());
      }
      if (options.runs("memory")) {
        memory = new MemoryBench(servers, runId).run(options.memoryPoints());
      }
      if (MaterializeBench.PARTS.stream().anyMatch(options::runs)) {
        materialize =
            new MaterializeBench(servers, runId, work.resolve("materialize"))
                .run(options.materialize(), options.rounds(), options::runs);
      }
    }
    if (options.runs("restore")) {
      // the restore benchmark needs only an API server of its own: no broker, no registry
      try (KubeApiServer kube = KubeApiServer.start(work.resolve("kube-restore"))) {
        restore =
            new RestoreBench(kube)
                .run(
                    options.restoreObjects(),
                    options.rounds(),
                    started.toString(),
                    "bench/run " + String.join(" ", args));
      }
    }
    BenchReport report =
        new BenchReport(
            started.toString(),
            (System.nanoTime() - t0) / 1e9,
            "bench/run " + String.join(" ", args),
            machine,
            kafka,
            options.runs("publish") || options.runs("memory") || options.runs("restore")
                ? "kube-apiserver v1.20.2 + etcd 3.4 (one per benchmark)"
                : null,
            LoadAverage.Span.from(load),
            publish,
            memory,
            restore,
            materialize);
    report.print(System.out);
    if (options.save()) {
      Path file = report.writeJson(options.results());
      System.out.println("results written to " + root.relativize(file.toAbsolutePath()));
    }
    System.exit(0); // the in-process broker leaves non-daemon threads behind
  }
}
