package io.hindsight.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bench program. Usage: {@code bench/run [capture|publish|memory|restore] [--objects=N]
 * [--rounds=R] [--memory-points=N1,N2,...] [--restore-objects=N] [--results=DIR] [--no-save]}.
 * {@code capture} (the default) runs both benchmarks of the capture slice; {@code restore} the
 * restorer's apply rate (its own API server, no broker); the figures go to stdout as a table and to
 * {@code bench/results/<time>.json}.
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
      boolean save) {
    static final String USAGE =
        "usage: bench/run [capture|publish|memory|restore] [--objects=N] [--rounds=R]"
            + " [--memory-points=N1,N2,...] [--restore-objects=N] [--results=DIR] [--no-save]";

    static Options parse(String[] args, Path root) {
      String benchmark = "capture";
      int objects = 10_000;
      int rounds = 3;
      int restoreObjects = 2_000;
      List<Integer> points = List.of(10_000, 20_000, 30_000);
      Path results = root.resolve("bench/results");
      boolean save = true;
      for (String arg : args) {
        if (!arg.startsWith("--")) {
          benchmark = arg.toLowerCase(Locale.ROOT);
          if (!List.of("capture", "publish", "memory", "restore").contains(benchmark)) {
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
        } else {
          throw new IllegalArgumentException("unknown option '" + arg + "'; " + USAGE);
        }
      }
      return new Options(benchmark, objects, rounds, points, restoreObjects, results, save);
    }

    boolean runs(String name) {
      return benchmark.equals("capture") || benchmark.equals(name);
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
    if (options.benchmark().equals("restore")) {
      // the restore benchmark needs only an API server: no broker, no registry
      RestoreBench.Result result;
      try (var kube = io.hindsight.testing.kube.KubeApiServer.start(work.resolve("kube-restore"))) {
        result =
            new RestoreBench(kube)
                .run(
                    options.restoreObjects(),
                    options.rounds(),
                    started.toString(),
                    "bench/run " + String.join(" ", args));
      }
      result.print(System.out);
      if (options.save()) {
        Path file = result.writeJson(options.results());
        System.out.println("results written to " + root.relativize(file.toAbsolutePath()));
      }
      System.exit(0);
      return;
    }
    MachineInfo machine = MachineInfo.current();
    long t0 = System.nanoTime();
    PublishBench.Result publish = null;
    MemoryBench.Result memory = null;
    String kafka;
    try (BenchServers servers = BenchServers.start(work)) {
      kafka = servers.kafka().description();
      if (options.runs("publish")) {
        publish = new PublishBench(servers, runId).run(options.objects(), options.rounds());
      }
      if (options.runs("memory")) {
        memory = new MemoryBench(servers, runId).run(options.memoryPoints());
      }
    }
    BenchReport report =
        new BenchReport(
            started.toString(),
            (System.nanoTime() - t0) / 1e9,
            "bench/run " + String.join(" ", args),
            machine,
            kafka,
            "kube-apiserver v1.20.2 + etcd 3.4 (one per benchmark)",
            publish,
            memory);
    report.print(System.out);
    if (options.save()) {
      Path file = report.writeJson(options.results());
      System.out.println("results written to " + root.relativize(file.toAbsolutePath()));
    }
    System.exit(0); // the in-process broker leaves non-daemon threads behind
  }
}
