package io.hindsight.bench;

import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.CommitLog;
import io.hindsight.history.tables.Micros;
import io.hindsight.materializer.Rows;
import io.hindsight.schemas.NamespacePartitioner;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.EventType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a history directly in Iceberg, exactly in the streams-app's format but without Kafka (a
 * 10M-change history through the app would take hours here), for figures 6 to 8.
 *
 * <p>The changes of {@link ChangeWorkload#history} (one namespace of 10,000 objects, background
 * namespaces, hot objects getting most changes, ~1 KB objects mostly), one every {@code 1/rate}
 * seconds of business time ending a few minutes ago, go through what the app does with them:
 *
 * <ul>
 *   <li>each change has the partition {@link NamespacePartitioner} gives its namespace among 12 and
 *       the next offset of a per-partition counter, and becomes {@code Rows.change};
 *   <li>the changes of one day of business time (or, with {@link Appends#COMMIT}, of one commit
 *       interval) are sorted by the table's sort order and go into Parquet files of their
 *       partitions, rolled at the app's target file size, and one append whose snapshot summary
 *       ({@link CommitLog#summary}) records the next offsets and the complete-through watermark
 *       (the last append's covers the end of history); {@code hindsight.source-partitions} is set;
 *   <li>every minute of a partition's business time (the app's checkpoint check), each of its
 *       namespaces that changed and whose last checkpoint is an hour old gets a checkpoint: {@code
 *       Rows.checkpoint} of every live object, at the partition's time, through the partition's
 *       last offset, one file per checkpoint.
 * </ul>
 *
 * The same rows go into one catalog per {@link Layout} of the {@code changes} table (the
 * checkpoints' files are shared: their table is the same in all), each written by a {@link
 * LayoutWriter} thread of its own while this thread generates the next batch; a layout's write cost
 * is its writer's CPU time. It also keeps the model (what each namespace holds at given instants,
 * from the generated changes alone) and the hourly-snapshot accounting of figure 7.
 */
final class HistoryBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryBuilder.class);
  static final String CLUSTER = "bench";
  static final String BIG_NAMESPACE = "shop";
  static final String SMALL_NAMESPACE = "team-00";
  static final int BIG_OBJECTS = 10_000;
  static final int BACKGROUND_NAMESPACES = 30;
  static final int BACKGROUND_OBJECTS = 300;
  static final int PARTITIONS = 12;
  private static final int BATCH = 10_000;
  private static final String WRITER = "bench-history";

  /**
   * A layout of the {@code changes} table: its partition spec, plus table properties that differ
   * from {@code ChangesTable}'s (for experiments; the layouts ADR 0004 weighs have none).
   */
  record Layout(
      String name, String description, PartitionSpec spec, Map<String, String> properties) {}

  private static final Map<String, String> ROW_GROUPS_8M =
      Map.of(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, String.valueOf(8 << 20));

  static final Layout CURRENT =
      new Layout("current", "identity(cluster), day(observed_at)", ChangesTable.SPEC, Map.of());
  static final Layout BY_NAMESPACE =
      new Layout(
          "by-namespace",
          "identity(cluster), identity(namespace), day(observed_at)",
          BenchCatalog.BY_NAMESPACE_SPEC,
          Map.of());

  /**
   * No partitioning but the cluster (the reader finds clusters from the first partition field):
   * with one cluster, as here, an unpartitioned table.
   */
  static final Layout UNPARTITIONED =
      new Layout(
          "cluster-only",
          "identity(cluster) only (one cluster: unpartitioned)",
          BenchCatalog.CLUSTER_ONLY_SPEC,
          Map.of());

  /** Every layout {@code --history-layouts} can name; the first three are the default. */
  static final List<Layout> LAYOUTS =
      List.of(
          CURRENT,
          BY_NAMESPACE,
          UNPARTITIONED,
          new Layout(
              "current-rg8m",
              "current, 8 MiB Parquet row groups",
              ChangesTable.SPEC,
              ROW_GROUPS_8M),
          new Layout(
              "by-namespace-rg8m",
              "by-namespace, 8 MiB Parquet row groups",
              BenchCatalog.BY_NAMESPACE_SPEC,
              ROW_GROUPS_8M));

  static Layout layout(String name) {
    return LAYOUTS.stream()
        .filter(l -> l.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown layout '"
                        + name
                        + "'; one of "
                        + LAYOUTS.stream().map(Layout::name).toList()));
  }

  /**
   * What one layout's changes table got, and what writing it cost: CPU time of its writer thread
   * (the comparison figure) and the wall time it was busy.
   */
  record Written(
      String layout,
      String spec,
      long rows,
      int files,
      long dataBytes,
      CommitFanout.Result filesPerCommit,
      double cpuSeconds,
      double rowsPerCpuSecond,
      double busySeconds,
      double rowsPerBusySecond) {}

  record Result(
      long changes,
      double changesPerSecond,
      Instant start,
      Instant end,
      double spanHours,
      int partitions,
      int objects,
      int namespaces,
      String bigNamespace,
      int bigObjects,
      long rawJsonBytes,
      long checkpoints,
      long checkpointRows,
      int checkpointFiles,
      long checkpointBytes,
      double generateSeconds,
      double checkpointSeconds,
      double waitForWritersSeconds,
      double buildSeconds,
      Appends appends,
      List<Written> layouts,
      HourlySnapshots.Result hourly,
      LoadAverage.Span load) {}

  /** The latest accepted change of one object and its offset. */
  private record Latest(ChangeEnvelope change, long offset) {}

  /** The app's per-namespace checkpoint bookkeeping ({@code namespace-checkpoints}). */
  private static final class Progress {
    long lastCheckpointMicros;
    long changesSince;

    Progress(long lastCheckpointMicros) {
      this.lastCheckpointMicros = lastCheckpointMicros;
    }
  }

  private final Path work;
  private final long changes;
  private final double perSecond;
  private final ManifestTemplates templates;
  private final Instant start;
  private final Instant end;
  private final long stepMicros;
  private final long targetFileBytes;
  private final Map<Instant, Map<String, Map<String, String>>> models = new HashMap<>();

  /** Every how much business time the layouts append: once a day, or every commit interval. */
  enum Appends {
    /** One append per day of rows, sorted: the table as compaction leaves old history. */
    DAY,
    /** One append per commit interval, as the streams-app commits before compaction runs. */
    COMMIT;

    static Appends of(String name) {
      try {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--history-appends=" + name + ": one of day, commit", e);
      }
    }

    long everyMicros() {
      return this == DAY
          ? 86_400_000_000L
          : StreamsAppRun.DEFAULTS.commitInterval().toNanos() / 1000;
    }
  }

  private final Appends appends;

  HistoryBuilder(
      Path work, long changes, double perSecond, Appends appends, ManifestTemplates templates) {
    this.work = work;
    this.appends = appends;
    this.changes = changes;
    this.perSecond = perSecond;
    this.templates = templates;
    this.stepMicros = Math.max(1, Math.round(1_000_000 / perSecond));
    this.end = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    this.start = end.minus((changes - 1) * stepMicros, ChronoUnit.MICROS);
    this.targetFileBytes = StreamsAppRun.DEFAULTS.targetFileBytes();
  }

  Instant start() {
    return start;
  }

  Instant end() {
    return end;
  }

  Path catalogDir(Layout layout) {
    return work.resolve("history-" + layout.name());
  }

  /**
   * The model's state of {@code namespace} at {@code at} (one of the instants given to {@link
   * #build}): {@code group/kind/name} → {@code uid@resourceVersion#hash}.
   */
  Map<String, String> model(String namespace, Instant at) {
    return models.get(at).get(namespace);
  }

  /** Builds the history in each layout, keeping the model at {@code modelInstants}. */
  Result build(List<Layout> layouts, List<Instant> modelInstants, int gzipSamples)
      throws Exception {
    LoadAverage load = LoadAverage.now();
    long t0 = System.nanoTime();
    List<Instant> pendingModels = new ArrayList<>(modelInstants);
    pendingModels.sort(null);
    ChangeWorkload workload =
        new ChangeWorkload(
            ChangeWorkload.history(
                CLUSTER,
                BIG_NAMESPACE,
                BIG_OBJECTS,
                BACKGROUND_NAMESPACES,
                BACKGROUND_OBJECTS,
                20261203L),
            templates);
    Map<String, TreeMap<String, Latest>> latest = new HashMap<>();
    Map<String, Progress> progress = new HashMap<>();
    Map<Integer, List<String>> namespacesOf = new HashMap<>();
    for (ChangeWorkload.NamespaceSpec ns : workload.config().namespaces()) {
      latest.put(ns.name(), new TreeMap<>());
      namespacesOf
          .computeIfAbsent(
              NamespacePartitioner.partitionOf(CLUSTER, ns.name(), PARTITIONS),
              p -> new ArrayList<>())
          .add(ns.name());
    }
    long[] nextOffset = new long[PARTITIONS];
    long[] partitionTime = new long[PARTITIONS];
    long[] nextCheck = new long[PARTITIONS];
    long checkEvery = StreamsAppRun.DEFAULTS.checkpointCheckInterval().toNanos() / 1000;
    long interval = StreamsAppRun.DEFAULTS.checkpointInterval().toNanos() / 1000;
    long hours = Duration.between(start, end).toHours();
    HourlySnapshots hourly =
        new HourlySnapshots((int) Math.max(1, hours / Math.max(1, gzipSamples)));
    Instant nextHour = start.plus(1, ChronoUnit.HOURS);
    long liveBytes = 0;
    long rawJsonBytes = 0;
    long generateNanos = 0;
    long checkpointNanos = 0;
    long checkpointCount = 0;
    long checkpointRows = 0;
    List<DataFile> checkpointFiles = new ArrayList<>();
    List<DataFile> pendingCheckpointFiles = new ArrayList<>();

    List<LayoutWriter> writers = new ArrayList<>();
    List<HistoryBuilder.Written> written = new ArrayList<>();
    long waitNanos = 0;
    try {
      for (Layout layout : layouts) {
        ThroughputBench.deleteQuietly(catalogDir(layout));
        writers.add(
            new LayoutWriter(
                layout,
                BenchCatalog.open(catalogDir(layout)),
                PARTITIONS,
                targetFileBytes,
                StreamsAppRun.DEFAULTS.commitInterval().toNanos() / 1000));
      }
      Table checkpointTable = writers.get(0).checkpointsTable();
      List<Record> batch = new ArrayList<>(BATCH);
      long currentDay = Long.MIN_VALUE;
      long genStart = System.nanoTime();
      for (long i = 0; i < changes; i++) {
        Instant at = start.plus(i * stepMicros, ChronoUnit.MICROS);
        while (!nextHour.isAfter(at)) {
          if (hourly.nextIsSampled()) {
            hourly.sampled(liveObjects(latest));
          } else {
            hourly.counted(liveBytes);
          }
          nextHour = nextHour.plus(1, ChronoUnit.HOURS);
        }
        while (!pendingModels.isEmpty() && pendingModels.get(0).isBefore(at)) {
          Instant t = pendingModels.remove(0);
          models.put(
              t,
              Map.of(
                  BIG_NAMESPACE,
                  describe(latest.get(BIG_NAMESPACE)),
                  SMALL_NAMESPACE,
                  describe(latest.get(SMALL_NAMESPACE))));
        }
        long day = Math.floorDiv(Micros.of(at), appends.everyMicros());
        if (day != currentDay) {
          generateNanos += System.nanoTime() - genStart;
          long w0 = System.nanoTime();
          batch = submit(writers, batch);
          closeDay(writers, nextOffset, partitionTime, null);
          appendCheckpoints(writers, pendingCheckpointFiles);
          waitNanos += System.nanoTime() - w0;
          currentDay = day;
          genStart = System.nanoTime();
        }
        ChangeEnvelope e = workload.next(at);
        int p = NamespacePartitioner.partitionOf(CLUSTER, e.getNamespace(), PARTITIONS);
        long offset = nextOffset[p]++;
        long micros = Micros.of(at);
        partitionTime[p] = micros;
        rawJsonBytes += e.getObject().length();
        String key = Rows.groupOf(e.getApiVersion()) + "/" + e.getKind() + "/" + e.getName();
        TreeMap<String, Latest> objects = latest.get(e.getNamespace());
        Latest previous =
            e.getEventType() == EventType.DELETED
                ? objects.remove(key)
                : objects.put(key, new Latest(e, offset));
        liveBytes +=
            (e.getEventType() == EventType.DELETED ? 0 : e.getObject().length())
                - (previous == null ? 0 : previous.change().getObject().length());
        progress.computeIfAbsent(e.getNamespace(), ns -> new Progress(micros)).changesSince++;
        batch.add(Rows.change(e, p, offset));
        if (micros >= nextCheck[p]) {
          nextCheck[p] = micros + checkEvery;
          long c0 = System.nanoTime();
          for (String ns : namespacesOf.getOrDefault(p, List.of())) {
            Progress due = progress.get(ns);
            if (due != null
                && due.changesSince > 0
                && micros - due.lastCheckpointMicros >= interval) {
              DataFile file = checkpoint(checkpointTable, latest.get(ns), at, p, offset);
              checkpointFiles.add(file);
              pendingCheckpointFiles.add(file);
              checkpointCount++;
              checkpointRows += file.recordCount();
              due.lastCheckpointMicros = micros;
              due.changesSince = 0;
            }
          }
          checkpointNanos += System.nanoTime() - c0;
        }
        if (batch.size() == BATCH) {
          generateNanos += System.nanoTime() - genStart;
          long w0 = System.nanoTime();
          batch = submit(writers, batch);
          waitNanos += System.nanoTime() - w0;
          genStart = System.nanoTime();
        }
        if ((i + 1) % 1_000_000 == 0) {
          LOG.info(
              "history: {} of {} changes built ({} s)",
              i + 1,
              changes,
              Stats.f0((System.nanoTime() - t0) / 1e9));
        }
      }
      generateNanos += System.nanoTime() - genStart;
      long w0 = System.nanoTime();
      submit(writers, batch);
      closeDay(writers, nextOffset, partitionTime, end);
      appendCheckpoints(writers, pendingCheckpointFiles);
      for (LayoutWriter writer : writers) {
        written.add(writer.finish());
      }
      waitNanos += System.nanoTime() - w0;
      if (hourly.result().snapshots() == 0) {
        hourly.sampled(liveObjects(latest)); // a history shorter than an hour: one snapshot
      }
      for (Instant t : pendingModels) {
        models.put(
            t,
            Map.of(
                BIG_NAMESPACE,
                describe(latest.get(BIG_NAMESPACE)),
                SMALL_NAMESPACE,
                describe(latest.get(SMALL_NAMESPACE))));
      }
    } finally {
      for (LayoutWriter writer : writers) {
        writer.close();
      }
    }
    long checkpointBytes = checkpointFiles.stream().mapToLong(DataFile::fileSizeInBytes).sum();
    double buildSeconds = (System.nanoTime() - t0) / 1e9;
    LOG.info(
        "history: {} changes and {} checkpoints ({} rows) built in {} s",
        changes,
        checkpointCount,
        checkpointRows,
        Stats.f0(buildSeconds));
    return new Result(
        changes,
        perSecond,
        start,
        end,
        Duration.between(start, end).toSeconds() / 3600.0,
        PARTITIONS,
        workload.config().objects(),
        workload.config().namespaces().size(),
        BIG_NAMESPACE,
        BIG_OBJECTS,
        rawJsonBytes,
        checkpointCount,
        checkpointRows,
        checkpointFiles.size(),
        checkpointBytes,
        (generateNanos - checkpointNanos) / 1e9,
        checkpointNanos / 1e9,
        waitNanos / 1e9,
        buildSeconds,
        appends,
        written,
        hourly.result(),
        LoadAverage.Span.from(load));
  }

  private static Iterable<String> liveObjects(Map<String, TreeMap<String, Latest>> latest) {
    List<String> out = new ArrayList<>();
    latest
        .values()
        .forEach(objects -> objects.values().forEach(l -> out.add(l.change().getObject())));
    return out;
  }

  private static Map<String, String> describe(TreeMap<String, Latest> objects) {
    Map<String, String> out = new TreeMap<>();
    objects.forEach(
        (key, l) ->
            out.put(
                key,
                l.change().getUid()
                    + "@"
                    + l.change().getResourceVersion()
                    + "#"
                    + l.change().getObjectHash()));
    return out;
  }

  /** One checkpoint: every live object of the namespace, in one file (as the app writes it). */
  private DataFile checkpoint(
      Table table, TreeMap<String, Latest> objects, Instant at, int partition, long through) {
    RawIcebergWriter writer = new RawIcebergWriter(table, 2, System.nanoTime(), targetFileBytes);
    for (Latest l : objects.values()) {
      writer.write(Rows.checkpoint(l.change(), l.offset(), at, partition, through, objects.size()));
    }
    List<DataFile> files = writer.complete();
    if (files.size() != 1) {
      throw new IllegalStateException("a checkpoint took " + files.size() + " files");
    }
    return files.get(0);
  }

  /** Hands the batch to every layout's writer; returns a new batch to fill. */
  private static List<Record> submit(List<LayoutWriter> writers, List<Record> batch)
      throws InterruptedException {
    if (batch.isEmpty()) {
      return batch;
    }
    List<Record> rows = List.copyOf(batch);
    for (LayoutWriter writer : writers) {
      writer.write(rows);
    }
    return new ArrayList<>(BATCH);
  }

  /** Closes the day in every layout, with positions and watermarks in the commit's summary. */
  private static void closeDay(
      List<LayoutWriter> writers, long[] nextOffset, long[] partitionTime, Instant completeThrough)
      throws InterruptedException {
    Map<Integer, Long> offsets = new TreeMap<>();
    Map<Integer, Instant> marks = new TreeMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      offsets.put(p, nextOffset[p]);
      if (completeThrough != null) {
        marks.put(p, completeThrough);
      } else if (partitionTime[p] != 0) {
        marks.put(p, Micros.toInstant(partitionTime[p]));
      }
    }
    Map<String, String> summary = CommitLog.summary(WRITER, offsets, Map.of(CLUSTER, marks));
    for (LayoutWriter writer : writers) {
      writer.closeDay(summary, completeThrough != null);
    }
  }

  private static void appendCheckpoints(List<LayoutWriter> writers, List<DataFile> files)
      throws InterruptedException {
    if (files.isEmpty()) {
      return;
    }
    for (LayoutWriter writer : writers) {
      writer.appendCheckpoints(files);
    }
    files.clear();
  }
}
