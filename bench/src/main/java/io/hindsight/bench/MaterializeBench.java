package io.hindsight.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmarks of the materialize slice: {@code throughput} (figure 4), {@code lag} (figure 5)
 * and {@code history} (figures 6 to 8: state reads, storage, partitioning, on one built history).
 */
final class MaterializeBench {
  private static final Logger LOG = LoggerFactory.getLogger(MaterializeBench.class);

  /** The parts, as {@code bench/run} names them. */
  static final List<String> PARTS = List.of("throughput", "lag", "history");

  /** Options of the materialize benchmarks ({@code --key=value}; see bench/README.md). */
  record Settings(
      int changes,
      long commitIntervalMs,
      int threads,
      long cacheMaxBytes,
      double lagRate,
      int lagSeconds,
      int lagWarmupSeconds,
      long historyChanges,
      double historyRate,
      int stateQueries,
      int replays,
      int gzipSamples,
      List<String> historyLayouts,
      String historyAppends) {
    static final String USAGE =
        " [--changes=N] [--commit-interval-ms=MS] [--materializer-threads=T]"
            + " [--cache-mib=M] [--lag-rate=R] [--lag-seconds=S]"
            + " [--history-changes=N] [--history-rate=R] [--state-queries=Q] [--replays=R]"
            + " [--history-layouts=L1,L2,...] [--history-appends=day|commit]";

    static Settings defaults() {
      return new Settings(
          20_000,
          StreamsAppRun.DEFAULTS.commitInterval().toMillis(),
          StreamsAppRun.DEFAULTS.threads(),
          StreamsAppRun.DEFAULTS.cacheMaxBytes(),
          200,
          45,
          10,
          150_000,
          20,
          8,
          3,
          6,
          List.of(
              HistoryBuilder.CURRENT.name(),
              HistoryBuilder.BY_NAMESPACE.name(),
              HistoryBuilder.UNPARTITIONED.name()),
          "day");
    }

    /** The option names ({@code --NAME=value}) these settings take. */
    static final List<String> KEYS =
        List.of(
            "changes",
            "commit-interval-ms",
            "materializer-threads",
            "cache-mib",
            "lag-rate",
            "lag-seconds",
            "history-changes",
            "history-rate",
            "state-queries",
            "replays",
            "history-layouts",
            "history-appends");

    /** The defaults with the {@code given} options (name without "--" → value) applied. */
    static Settings of(Map<String, String> given) {
      Settings d = defaults();
      return new Settings(
          (int) number(given, "changes", d.changes()),
          (long) number(given, "commit-interval-ms", d.commitIntervalMs()),
          (int) number(given, "materializer-threads", d.threads()),
          (long) (number(given, "cache-mib", d.cacheMaxBytes() / 1048576.0) * 1048576),
          number(given, "lag-rate", d.lagRate()),
          (int) number(given, "lag-seconds", d.lagSeconds()),
          d.lagWarmupSeconds(),
          (long) number(given, "history-changes", d.historyChanges()),
          number(given, "history-rate", d.historyRate()),
          (int) number(given, "state-queries", d.stateQueries()),
          (int) number(given, "replays", d.replays()),
          d.gzipSamples(),
          layouts(given.get("history-layouts"), d.historyLayouts()),
          HistoryBuilder.Appends.of(given.getOrDefault("history-appends", d.historyAppends()))
              .name()
              .toLowerCase(java.util.Locale.ROOT));
    }

    /** The streams-app's settings of the throughput runs. */
    @JsonIgnore
    StreamsAppRun.Tuning tuning() {
      return new StreamsAppRun.Tuning(commitIntervalMs, threads, cacheMaxBytes);
    }

    private static List<String> layouts(String given, List<String> otherwise) {
      if (given == null) {
        return otherwise;
      }
      List<String> names = List.of(given.split(","));
      names.forEach(HistoryBuilder::layout); // refuses unknown names
      if (names.isEmpty()) {
        throw new IllegalArgumentException("--history-layouts needs at least one layout");
      }
      return names;
    }

    private static double number(Map<String, String> given, String key, double otherwise) {
      String value = given.get(key);
      if (value == null) {
        return otherwise;
      }
      double n;
      try {
        n = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + key + "=" + value + ": not a number");
      }
      if (!(n > 0)) {
        throw new IllegalArgumentException("--" + key + "=" + value + ": must be positive");
      }
      return n;
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Result(
      Settings settings,
      ThroughputBench.Result throughput,
      LagBench.Result lag,
      HistoryBuilder.Result history,
      StateReadBench.Result reads,
      StorageFigures storage,
      double seconds,
      LoadAverage.Span load) {}

  private final BenchServers servers;
  private final String runId;
  private final Path work;

  MaterializeBench(BenchServers servers, String runId, Path work) {
    this.servers = servers;
    this.runId = runId;
    this.work = work;
  }

  /** Runs the parts {@code runs} accepts. */
  Result run(Settings settings, int rounds, java.util.function.Predicate<String> runs)
      throws Exception {
    LoadAverage load = LoadAverage.now();
    long t0 = System.nanoTime();
    Files.createDirectories(work);
    ManifestTemplates templates = ManifestTemplates.load();
    ThroughputBench.Result throughput = null;
    LagBench.Result lag = null;
    HistoryBuilder.Result history = null;
    StateReadBench.Result reads = null;
    StorageFigures storage = null;
    if (runs.test("throughput")) {
      throughput =
          new ThroughputBench(servers, runId, work)
              .run(settings.changes(), rounds, settings.tuning(), templates);
    }
    if (runs.test("lag")) {
      lag =
          new LagBench(servers, runId, work)
              .run(
                  settings.lagRate(),
                  Duration.ofSeconds(settings.lagSeconds()),
                  Duration.ofSeconds(settings.lagWarmupSeconds()),
                  settings.commitIntervalMs(),
                  templates);
    }
    if (runs.test("history")) {
      HistoryBuilder builder =
          new HistoryBuilder(
              work,
              settings.historyChanges(),
              settings.historyRate(),
              HistoryBuilder.Appends.of(settings.historyAppends()),
              templates);
      List<Instant> instants =
          StateReadBench.instants(builder.start(), builder.end(), 2 + settings.stateQueries(), 7L);
      List<HistoryBuilder.Layout> layouts =
          settings.historyLayouts().stream().map(HistoryBuilder::layout).toList();
      history = builder.build(layouts, instants, settings.gzipSamples());
      storage = StorageFigures.of(history);
      reads =
          new StateReadBench()
              .run(
                  builder,
                  new ArrayList<>(instants.subList(0, 2)),
                  new ArrayList<>(instants.subList(2, instants.size())),
                  settings.replays(),
                  layouts);
      for (HistoryBuilder.Layout layout : layouts) {
        ThroughputBench.deleteQuietly(builder.catalogDir(layout));
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    LOG.info("materialize benchmarks done in {} s", Stats.f0(seconds));
    return new Result(
        settings, throughput, lag, history, reads, storage, seconds, LoadAverage.Span.from(load));
  }
}
