package io.hindsight.bench;

import io.hindsight.bench.ChangeFeeder.Position;
import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.CommitLog;
import io.hindsight.materializer.MaterializerConfig;
import io.hindsight.materializer.Rows;
import io.hindsight.schemas.avro.ChangeEnvelope;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figure 4: rows per second the streams-app gets into Iceberg, against a raw Iceberg writer writing
 * the same rows, in alternating rounds.
 *
 * <p>The N changes of {@link ChangeWorkload#realistic} are written once into a fresh 12-partition
 * topic by {@link ChangeFeeder} (as the watcher writes them). App side: the real {@code
 * Materializer} in this JVM on a fresh SQLite catalog and application id, so it reads the topic
 * from its start; its clock runs from {@code Materializer.start} to Kafka Streams RUNNING
 * (start-up, reported apart) and from RUNNING until the positions its commits record ({@link
 * CommitLog#committedOffsets}) pass every partition's last change (processing, polled every 100
 * ms). Raw side: {@code Rows.change} of the same envelopes at the same partitions and offsets,
 * through {@link RawIcebergWriter} and one append into a fresh table defined like {@code changes}.
 * The ratio is app processing rate ÷ raw rate, per round; round 0 warms up and is left out.
 */
final class ThroughputBench {
  private static final Logger LOG = LoggerFactory.getLogger(ThroughputBench.class);
  static final int PARTITIONS = 12;
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  /** One timed run of one side. */
  record Run(
      String side,
      int round,
      long rows,
      double startupSeconds,
      double processedSeconds,
      double seconds,
      double rowsPerSecond,
      double cpuSeconds,
      int commits,
      double commitLatencyAvgMs,
      double commitLatencyMaxMs,
      LoadAverage.Span load) {}

  /** Sizes of the object JSON of the changes. */
  record Sizes(long meanBytes, long p50Bytes, long p99Bytes, long maxBytes, long totalBytes) {
    static Sizes of(List<ChangeEnvelope> changes) {
      long[] sizes = changes.stream().mapToLong(e -> e.getObject().length()).sorted().toArray();
      long sum = 0;
      for (long s : sizes) {
        sum += s;
      }
      return new Sizes(
          sum / sizes.length,
          Stats.percentile(sizes, 0.5),
          Stats.percentile(sizes, 0.99),
          sizes[sizes.length - 1],
          sum);
    }
  }

  record Result(
      int changes,
      int objects,
      String mix,
      Sizes objectSizes,
      long topicBytes,
      int partitions,
      long commitIntervalMs,
      double prefillSeconds,
      List<Run> appRuns,
      List<Run> rawRuns,
      int threads,
      long cacheMaxBytes,
      int warmupRounds,
      List<Double> roundRatios,
      double ratio,
      List<Double> roundCpuRatios,
      double cpuRatio,
      double appRowsPerSecond,
      double appStartupSeconds,
      double rawRowsPerSecond,
      LoadAverage.Span load) {}

  private final BenchServers servers;
  private final String runId;
  private final Path work;

  ThroughputBench(BenchServers servers, String runId, Path work) {
    this.servers = servers;
    this.runId = runId;
    this.work = work;
  }

  Result run(int changes, int rounds, StreamsAppRun.Tuning tuning, ManifestTemplates templates)
      throws Exception {
    LoadAverage start = LoadAverage.now();
    int objects = Math.max(100, changes / 10);
    ChangeWorkload workload =
        new ChangeWorkload(ChangeWorkload.realistic("bench", objects, 20261201L), templates);
    // the changes span half an hour of business time: no namespace is due for a checkpoint
    Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    long stepMicros = Duration.ofMinutes(30).toNanos() / 1000 / changes;
    List<ChangeEnvelope> envelopes = new ArrayList<>(changes);
    for (int i = 0; i < changes; i++) {
      envelopes.add(workload.next(t0.plus(i * stepMicros, ChronoUnit.MICROS)));
    }
    String topic = "bench.materialize." + runId;
    long fill = System.nanoTime();
    List<Position> positions = new ArrayList<>(changes);
    long topicBytes;
    long topicRecords;
    try (Admin admin = servers.kafka().admin()) {
      ChangeFeeder.createTopic(admin, topic, PARTITIONS);
    }
    try (ChangeFeeder feeder =
        new ChangeFeeder(
            servers.bootstrapServers(), servers.registryUrl(), topic, PARTITIONS, "bench")) {
      for (int from = 0; from < changes; from += 500) {
        List<ChangeEnvelope> batch = envelopes.subList(from, Math.min(changes, from + 500));
        positions.addAll(feeder.write(batch, batch.get(batch.size() - 1).getObservedAt()));
      }
      topicBytes = feeder.bytes();
      topicRecords = feeder.records();
    }
    double prefillSeconds = (System.nanoTime() - fill) / 1e9;
    Map<Integer, Long> targets = new HashMap<>();
    for (Position p : positions) {
      targets.merge(p.partition(), p.offset() + 1, Math::max);
    }
    LOG.info(
        "throughput: {} changes ({} MiB of records) in topic {} after {} s",
        changes,
        Stats.f1(topicBytes / 1048576.0),
        topic,
        Stats.f1(prefillSeconds));

    List<Run> appRuns = new ArrayList<>();
    List<Run> rawRuns = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    List<Double> cpuRatios = new ArrayList<>();
    for (int round = 0; round <= rounds; round++) {
      Run app = appRun(topic, round, tuning, targets, changes, topicRecords);
      Run raw = rawRun(envelopes, positions, round);
      appRuns.add(app);
      rawRuns.add(raw);
      ratios.add(app.rowsPerSecond() / raw.rowsPerSecond());
      cpuRatios.add(raw.cpuSeconds() / app.cpuSeconds());
      LOG.info(
          "throughput round {}{}: streams-app {} rows/s (start-up {} s, {} CPU s), raw writer {}"
              + " rows/s ({} CPU s), ratio {}",
          round,
          round == 0 ? " (warm-up)" : "",
          Stats.f0(app.rowsPerSecond()),
          Stats.f1(app.startupSeconds()),
          Stats.f1(app.cpuSeconds()),
          Stats.f0(raw.rowsPerSecond()),
          Stats.f1(raw.cpuSeconds()),
          Stats.f2(ratios.get(round)));
    }
    List<Run> appMeasured = appRuns.subList(1, appRuns.size());
    return new Result(
        changes,
        objects,
        "realistic",
        Sizes.of(envelopes),
        topicBytes,
        PARTITIONS,
        tuning.commitIntervalMs(),
        prefillSeconds,
        appRuns,
        rawRuns,
        tuning.threads(),
        tuning.cacheMaxBytes(),
        1,
        ratios,
        Stats.median(ratios.subList(1, ratios.size())),
        cpuRatios,
        Stats.median(cpuRatios.subList(1, cpuRatios.size())),
        Stats.median(appMeasured.stream().map(Run::rowsPerSecond).toList()),
        Stats.median(appMeasured.stream().map(Run::startupSeconds).toList()),
        Stats.median(rawRuns.subList(1, rawRuns.size()).stream().map(Run::rowsPerSecond).toList()),
        LoadAverage.Span.from(start));
  }

  private Run appRun(
      String topic,
      int round,
      StreamsAppRun.Tuning tuning,
      Map<Integer, Long> targets,
      int changes,
      long records)
      throws Exception {
    LoadAverage start = LoadAverage.now();
    Path dir = work.resolve("throughput-app-" + round);
    MaterializerConfig config =
        StreamsAppRun.config(
            servers, topic, "bench-throughput-" + runId + "-" + round, dir, tuning);
    long done;
    long processed = 0;
    StreamsThreadMetrics metrics;
    long rows;
    int commits;
    double startup;
    double seconds;
    double processedSeconds;
    double cpu;
    try (StreamsAppRun app = StreamsAppRun.start(servers, config, dir, TIMEOUT)) {
      long cpu0 = ProcessCpu.nanos();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      long nextTablePoll = 0;
      while (true) {
        app.checkAlive();
        long now = System.nanoTime();
        if (processed == 0 && app.processTotal() >= records) {
          processed = now;
        }
        // reading the table's commits costs CPU the app would use: every 100 ms once every record
        // is processed, every 2 s before (in case the processed count misses some)
        if (now >= nextTablePoll) {
          nextTablePoll = now + (processed == 0 ? 2_000_000_000L : 0);
          Map<Integer, Long> committed = app.committedOffsets();
          if (targets.entrySet().stream()
              .allMatch(t -> committed.getOrDefault(t.getKey(), 0L) >= t.getValue())) {
            done = System.nanoTime();
            break;
          }
        }
        if (now > deadline) {
          throw new TimeoutException(
              "the streams-app committed "
                  + app.committedOffsets()
                  + " of "
                  + targets
                  + " after "
                  + TIMEOUT);
        }
        Thread.sleep(100);
      }
      cpu = (ProcessCpu.nanos() - cpu0) / 1e9;
      startup = app.startupSeconds();
      seconds = (done - app.runningNanos()) / 1e9;
      metrics = app.metrics();
      processed = processed == 0 ? done : processed;
      processedSeconds = (processed - app.runningNanos()) / 1e9;
      Table changesTable = app.changes();
      rows = totalRecords(changesTable);
      commits = 0;
      for (Snapshot s : changesTable.snapshots()) {
        commits += Long.parseLong(s.summary().getOrDefault("added-records", "0")) > 0 ? 1 : 0;
      }
    }
    if (rows != changes) {
      throw new IllegalStateException(
          "the streams-app wrote " + rows + " rows for " + changes + " distinct changes");
    }
    deleteQuietly(dir);
    return new Run(
        "streams-app",
        round,
        rows,
        startup,
        processedSeconds,
        seconds,
        rows / seconds,
        cpu,
        commits,
        metrics.commitLatencyAvgMs(),
        metrics.commitLatencyMaxMs(),
        LoadAverage.Span.from(start));
  }

  private Run rawRun(List<ChangeEnvelope> envelopes, List<Position> positions, int round)
      throws Exception {
    LoadAverage start = LoadAverage.now();
    Path dir = work.resolve("throughput-raw-" + round);
    long rows;
    double seconds;
    double cpu;
    try (BenchCatalog catalog = BenchCatalog.open(dir)) {
      Table table = catalog.createHistoryTables(ChangesTable.SPEC);
      long cpu0 = ProcessCpu.nanos();
      long t0 = System.nanoTime();
      RawIcebergWriter writer =
          new RawIcebergWriter(table, 1, round, StreamsAppRun.DEFAULTS.targetFileBytes());
      Map<Integer, Long> next = new HashMap<>();
      for (int i = 0; i < envelopes.size(); i++) {
        Position p = positions.get(i);
        writer.write(Rows.change(envelopes.get(i), p.partition(), p.offset()));
        next.merge(p.partition(), p.offset() + 1, Math::max);
      }
      List<DataFile> files = writer.complete();
      RawIcebergWriter.append(table, files, CommitLog.summary("bench-raw", next, Map.of()));
      seconds = (System.nanoTime() - t0) / 1e9;
      cpu = (ProcessCpu.nanos() - cpu0) / 1e9;
      rows = totalRecords(catalog.load(ChangesTable.ID));
    }
    deleteQuietly(dir);
    return new Run(
        "raw-iceberg",
        round,
        rows,
        0,
        seconds,
        seconds,
        rows / seconds,
        cpu,
        1,
        Double.NaN,
        Double.NaN,
        LoadAverage.Span.from(start));
  }

  static long totalRecords(Table table) {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    return current == null
        ? 0
        : Long.parseLong(current.summary().getOrDefault("total-records", "0"));
  }

  static void deleteQuietly(Path dir) {
    try {
      BenchFiles.deleteTree(dir);
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", dir, e.toString());
    }
  }
}
