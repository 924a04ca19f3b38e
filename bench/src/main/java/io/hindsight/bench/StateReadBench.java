package io.hindsight.bench;

import io.hindsight.history.HistoryReader;
import io.hindsight.history.State;
import io.hindsight.history.StateQuery;
import io.hindsight.history.StoredObject;
import io.hindsight.history.tables.ChangesTable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figures 6 and 8: {@code HistoryReader.stateAt} of the 10,000-object namespace at random instants
 * of a built history, in each layout of the {@code changes} table, against a full replay of the
 * namespace's changes ({@link FullReplay}) at the same instants, and checked against the
 * generator's model (and, where replayed, the replay). A background namespace is read at the first
 * few of those instants too: partitioning by namespace matters most for small namespaces. Each read
 * is timed by the wall clock and by this thread's CPU time (the reader plans with a small worker
 * pool, whose CPU is not counted), which on a shared machine says what it would take alone. The
 * layouts take turns on each instant, alternating which goes first, so the machine's load hits both
 * alike.
 */
final class StateReadBench {
  private static final Logger LOG = LoggerFactory.getLogger(StateReadBench.class);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  static final double GOAL_SECONDS = 2.0;
  static final double GOAL_RATIO = 20.0;

  /** The background namespace is read at the first few instants only. */
  static final int SMALL_QUERIES = 5;

  /** One timed {@code stateAt}. */
  record Query(
      String layout,
      String namespace,
      Instant at,
      double seconds,
      double cpuSeconds,
      int objects,
      int checkpointsUsed,
      long changesReplayed,
      boolean matchesModel) {}

  /** One timed full replay and how it compares. */
  record Replay(
      String layout,
      Instant at,
      double seconds,
      double cpuSeconds,
      double stateSeconds,
      double ratio,
      double cpuRatio,
      int objects,
      boolean sameAsStateAt,
      boolean sameAsModel) {}

  /** The reads of one layout. */
  record LayoutReads(
      String layout,
      String spec,
      double medianSeconds,
      double p95Seconds,
      double maxSeconds,
      double medianCpuSeconds,
      double smallNamespaceMedianSeconds,
      double replayMedianSeconds,
      double replayRatio,
      double replayCpuRatio,
      boolean allMatch,
      List<Query> warmups,
      List<Query> queries,
      List<Query> smallNamespace,
      List<Replay> replays) {}

  record Result(
      String bigNamespace,
      String smallNamespace,
      int queries,
      int replays,
      List<LayoutReads> layouts,
      double seconds,
      LoadAverage.Span load) {}

  /**
   * {@code warmups} + {@code queries} instants, uniform in [start + 1 h, end] (later half when
   * shorter).
   */
  static List<Instant> instants(Instant start, Instant end, int count, long seed) {
    Duration span = Duration.between(start, end);
    Instant from =
        span.compareTo(Duration.ofHours(2)) >= 0
            ? start.plus(Duration.ofHours(1))
            : start.plus(span.dividedBy(2));
    long range = Duration.between(from, end).toMillis();
    SplittableRandom random = new SplittableRandom(seed);
    List<Instant> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(from.plusMillis(random.nextLong(range + 1)));
    }
    return out;
  }

  Result run(
      HistoryBuilder built,
      List<Instant> warmupAt,
      List<Instant> queryAt,
      int replays,
      List<HistoryBuilder.Layout> layouts)
      throws Exception {
    LoadAverage load = LoadAverage.now();
    long t0 = System.nanoTime();
    List<BenchCatalog> catalogs = new ArrayList<>();
    List<HistoryReader> readers = new ArrayList<>();
    List<Table> changes = new ArrayList<>();
    try {
      for (HistoryBuilder.Layout layout : layouts) {
        BenchCatalog catalog = BenchCatalog.open(built.catalogDir(layout));
        catalogs.add(catalog);
        readers.add(new HistoryReader(catalog.catalog()));
        changes.add(catalog.load(ChangesTable.ID));
      }
      int n = layouts.size();
      List<List<Query>> warm = lists(n);
      List<List<Query>> big = lists(n);
      List<List<Query>> small = lists(n);
      List<List<Replay>> replayed = lists(n);
      List<List<Map<String, String>>> answers = lists(n);
      for (int i = 0; i < warmupAt.size(); i++) {
        for (int k = 0; k < n; k++) {
          int l = (k + i) % n;
          warm.get(l)
              .add(
                  query(
                      readers.get(l),
                      layouts.get(l),
                      HistoryBuilder.BIG_NAMESPACE,
                      warmupAt.get(i),
                      built,
                      null));
        }
      }
      for (int i = 0; i < queryAt.size(); i++) {
        for (int k = 0; k < n; k++) {
          int l = (k + i) % n;
          Map<String, String> answer = new TreeMap<>();
          big.get(l)
              .add(
                  query(
                      readers.get(l),
                      layouts.get(l),
                      HistoryBuilder.BIG_NAMESPACE,
                      queryAt.get(i),
                      built,
                      answer));
          answers.get(l).add(answer);
        }
        LOG.info(
            "state read {} of {} at {}: {}",
            i + 1,
            queryAt.size(),
            queryAt.get(i),
            describeLast(big, layouts));
      }
      for (int i = 0; i < Math.min(SMALL_QUERIES, queryAt.size()); i++) {
        for (int k = 0; k < n; k++) {
          int l = (k + i) % n;
          small
              .get(l)
              .add(
                  query(
                      readers.get(l),
                      layouts.get(l),
                      HistoryBuilder.SMALL_NAMESPACE,
                      queryAt.get(i),
                      built,
                      null));
        }
      }
      for (int i = 0; i < Math.min(replays, queryAt.size()); i++) {
        Instant at = queryAt.get(i);
        for (int k = 0; k < n; k++) {
          int l = (k + i) % n;
          long r0 = System.nanoTime();
          long c0 = THREADS.getCurrentThreadCpuTime();
          Map<String, String> state =
              FullReplay.stateAt(
                  changes.get(l), HistoryBuilder.CLUSTER, HistoryBuilder.BIG_NAMESPACE, at);
          double cpu = (THREADS.getCurrentThreadCpuTime() - c0) / 1e9;
          double seconds = (System.nanoTime() - r0) / 1e9;
          Query stateAt = big.get(l).get(i);
          double stateSeconds = stateAt.seconds();
          replayed
              .get(l)
              .add(
                  new Replay(
                      layouts.get(l).name(),
                      at,
                      seconds,
                      cpu,
                      stateSeconds,
                      seconds / stateSeconds,
                      cpu / stateAt.cpuSeconds(),
                      state.size(),
                      state.equals(answers.get(l).get(i)),
                      state.equals(built.model(HistoryBuilder.BIG_NAMESPACE, at))));
          LOG.info(
              "full replay {} at {} ({}): {} s, {} objects, ratio {}",
              i + 1,
              at,
              layouts.get(l).name(),
              Stats.f2(seconds),
              state.size(),
              Stats.f1(seconds / stateSeconds));
        }
      }
      List<LayoutReads> out = new ArrayList<>();
      for (int l = 0; l < n; l++) {
        double[] times = big.get(l).stream().mapToDouble(Query::seconds).sorted().toArray();
        boolean allMatch =
            big.get(l).stream().allMatch(Query::matchesModel)
                && small.get(l).stream().allMatch(Query::matchesModel)
                && warm.get(l).stream().allMatch(Query::matchesModel)
                && replayed.get(l).stream().allMatch(r -> r.sameAsStateAt() && r.sameAsModel());
        out.add(
            new LayoutReads(
                layouts.get(l).name(),
                layouts.get(l).description(),
                Stats.median(big.get(l).stream().map(Query::seconds).toList()),
                Stats.percentile(times, 0.95),
                times[times.length - 1],
                Stats.median(big.get(l).stream().map(Query::cpuSeconds).toList()),
                Stats.median(small.get(l).stream().map(Query::seconds).toList()),
                replayed.get(l).isEmpty()
                    ? Double.NaN
                    : Stats.median(replayed.get(l).stream().map(Replay::seconds).toList()),
                replayed.get(l).isEmpty()
                    ? Double.NaN
                    : Stats.median(replayed.get(l).stream().map(Replay::ratio).toList()),
                replayed.get(l).isEmpty()
                    ? Double.NaN
                    : Stats.median(replayed.get(l).stream().map(Replay::cpuRatio).toList()),
                allMatch,
                warm.get(l),
                big.get(l),
                small.get(l),
                replayed.get(l)));
      }
      return new Result(
          HistoryBuilder.BIG_NAMESPACE,
          HistoryBuilder.SMALL_NAMESPACE,
          queryAt.size(),
          Math.min(replays, queryAt.size()),
          out,
          (System.nanoTime() - t0) / 1e9,
          LoadAverage.Span.from(load));
    } finally {
      for (HistoryReader reader : readers) {
        reader.close();
      }
      for (BenchCatalog catalog : catalogs) {
        catalog.close();
      }
    }
  }

  private static Query query(
      HistoryReader reader,
      HistoryBuilder.Layout layout,
      String namespace,
      Instant at,
      HistoryBuilder built,
      Map<String, String> answer) {
    long t0 = System.nanoTime();
    long c0 = THREADS.getCurrentThreadCpuTime();
    State state = reader.stateAt(StateQuery.namespace(namespace, at));
    double cpu = (THREADS.getCurrentThreadCpuTime() - c0) / 1e9;
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<String, String> got = describe(state);
    if (answer != null) {
      answer.putAll(got);
    }
    return new Query(
        layout.name(),
        namespace,
        at,
        seconds,
        cpu,
        state.objects().size(),
        state.checkpointsUsed(),
        state.changesReplayed(),
        got.equals(built.model(namespace, at)));
  }

  static Map<String, String> describe(State state) {
    Map<String, String> out = new TreeMap<>();
    for (StoredObject o : state.objects()) {
      out.put(
          o.id().apiGroup() + "/" + o.id().kind() + "/" + o.id().name(),
          o.uid() + "@" + o.resourceVersion() + "#" + o.objectHash());
    }
    return out;
  }

  private static String describeLast(List<List<Query>> big, List<HistoryBuilder.Layout> layouts) {
    StringBuilder out = new StringBuilder();
    for (int l = 0; l < layouts.size(); l++) {
      Query q = big.get(l).get(big.get(l).size() - 1);
      out.append(l == 0 ? "" : ", ")
          .append(layouts.get(l).name())
          .append(' ')
          .append(Stats.f2(q.seconds()))
          .append(" s (")
          .append(q.objects())
          .append(" objects, ")
          .append(q.changesReplayed())
          .append(" changes replayed")
          .append(q.matchesModel() ? "" : ", WRONG")
          .append(')');
    }
    return out.toString();
  }

  private static <T> List<List<T>> lists(int n) {
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>());
    }
    return out;
  }
}
