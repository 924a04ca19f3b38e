package io.hindsight.materializer;

import io.hindsight.history.tables.CommitLog;
import io.hindsight.materializer.RowSink.TableKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SortOrderComparators;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.StructLikeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the tables fast and small, on a schedule: compacts a table partition's small files
 * (streaming commits write one small file per partition every commit interval) into files sorted by
 * the table's sort order, then expires old snapshots. Before expiring, the highest committed
 * positions and watermarks are carried forward into a snapshot of their own ({@link
 * CommitLog#carriedSummary}), so a restarted writer still finds where it stopped. Data is never
 * removed: only files that compaction replaced, once no retained snapshot needs them.
 */
final class TableMaintenance implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TableMaintenance.class);

  /** What one run did. */
  record Result(int filesCompacted, int filesWritten, int snapshotsExpired) {}

  private final Map<TableKind, Table> tables;
  private final int minFiles;
  private final long targetFileBytes;
  private final long batchBytes;
  private final Duration retention;
  private ScheduledExecutorService executor;

  TableMaintenance(
      Map<TableKind, Table> tables, int minFiles, long targetFileBytes, Duration retention) {
    this.tables = tables;
    this.minFiles = minFiles;
    this.targetFileBytes = targetFileBytes;
    // a batch is sorted in memory: bound it well below the heap whatever the target file size
    this.batchBytes = Math.min(targetFileBytes, 32L * 1024 * 1024);
    this.retention = retention;
  }

  void schedule(Duration every) {
    if (every.isZero()) {
      LOG.info("table maintenance is off ({}=0)", MaterializerConfig.MAINTENANCE_INTERVAL_MS);
      return;
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "hindsight-table-maintenance");
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(
        this::runQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runQuietly() {
    try {
      Result result = runOnce(Instant.now());
      LOG.info("table maintenance: {}", result);
    } catch (RuntimeException e) {
      LOG.warn("table maintenance failed; trying again at the next run: {}", e.toString(), e);
    }
  }

  Result runOnce(Instant now) {
    int compacted = 0;
    int written = 0;
    int expired = 0;
    for (Table table : tables.values()) {
      int[] counts = compact(table);
      compacted += counts[0];
      written += counts[1];
      expired += expire(table, now.minus(retention));
    }
    return new Result(compacted, written, expired);
  }

  /** Compacts every partition with enough small files; returns {files replaced, files written}. */
  int[] compact(Table table) {
    table.refresh();
    Snapshot base = table.currentSnapshot();
    if (base == null) {
      return new int[] {0, 0};
    }
    long small = targetFileBytes * 3 / 4;
    StructLikeMap<List<DataFile>> byPartition = StructLikeMap.create(table.spec().partitionType());
    try (CloseableIterable<FileScanTask> tasks =
        table.newScan().useSnapshot(base.snapshotId()).planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile file = task.file();
        if (file.specId() == table.spec().specId() && file.fileSizeInBytes() < small) {
          byPartition.computeIfAbsent(file.partition(), p -> new ArrayList<>()).add(file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int replaced = 0;
    int written = 0;
    for (List<DataFile> files : byPartition.values()) {
      if (files.size() < minFiles) {
        continue;
      }
      files.sort(Comparator.comparingLong(DataFile::fileSizeInBytes));
      for (List<DataFile> batch : batches(files)) {
        if (batch.size() < 2) {
          continue;
        }
        List<DataFile> output = rewrite(table, batch);
        commitRewrite(table, base.snapshotId(), batch, output);
        replaced += batch.size();
        written += output.size();
      }
    }
    return new int[] {replaced, written};
  }

  private List<List<DataFile>> batches(List<DataFile> files) {
    List<List<DataFile>> batches = new ArrayList<>();
    List<DataFile> current = new ArrayList<>();
    long bytes = 0;
    for (DataFile file : files) {
      if (!current.isEmpty() && bytes + file.fileSizeInBytes() > batchBytes) {
        batches.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(file);
      bytes += file.fileSizeInBytes();
    }
    if (!current.isEmpty()) {
      batches.add(current);
    }
    return batches;
  }

  /** Reads the batch's rows, sorts them by the table's sort order, writes them anew. */
  private List<DataFile> rewrite(Table table, List<DataFile> batch) {
    List<Record> rows = new ArrayList<>();
    for (DataFile file : batch) {
      try (CloseableIterable<Record> records =
          FormatModelRegistry.<Record, Object>readBuilder(
                  FileFormat.PARQUET, Record.class, table.io().newInputFile(file.location()))
              .project(table.schema())
              .build()) {
        for (Record record : records) {
          rows.add(record.copy());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file.location(), e);
      }
    }
    if (!table.sortOrder().isUnsorted()) {
      Comparator<StructLike> order =
          SortOrderComparators.forSchema(table.schema(), table.sortOrder());
      InternalRecordWrapper left = new InternalRecordWrapper(table.schema().asStruct());
      InternalRecordWrapper right = new InternalRecordWrapper(table.schema().asStruct());
      rows.sort((a, b) -> order.compare(left.wrap(a), right.wrap(b)));
    }
    TableWriter writer = new TableWriter(table, 0, System.nanoTime(), targetFileBytes);
    try {
      rows.forEach(writer::write);
      return writer.complete();
    } catch (RuntimeException e) {
      writer.abort();
      throw e;
    }
  }

  private static void commitRewrite(
      Table table, long baseSnapshotId, List<DataFile> replaced, List<DataFile> written) {
    for (int attempt = 1; ; attempt++) {
      try {
        RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(baseSnapshotId);
        replaced.forEach(rewrite::deleteFile);
        written.forEach(rewrite::addFile);
        rewrite.commit();
        return;
      } catch (CommitFailedException conflict) {
        if (attempt >= 20) {
          written.forEach(f -> table.io().deleteFile(f.location()));
          throw conflict;
        }
        table.refresh(); // a streams-app commit came first; appends never conflict with a rewrite
      }
    }
  }

  /** Carries positions forward, then expires snapshots older than {@code cutoff}. */
  int expire(Table table, Instant cutoff) {
    table.refresh();
    List<Snapshot> old = new ArrayList<>();
    for (Snapshot snapshot : table.snapshots()) {
      if (snapshot.timestampMillis() < cutoff.toEpochMilli()) {
        old.add(snapshot);
      }
    }
    if (old.isEmpty()) {
      return 0;
    }
    carryForward(table);
    Set<Long> before = new HashSet<>();
    table.snapshots().forEach(s -> before.add(s.snapshotId()));
    for (int attempt = 1; ; attempt++) {
      try {
        table.expireSnapshots().expireOlderThan(cutoff.toEpochMilli()).retainLast(1).commit();
        break;
      } catch (CommitFailedException conflict) {
        if (attempt >= 20) {
          throw conflict;
        }
        table.refresh();
      }
    }
    table.refresh();
    Set<Long> after = new HashSet<>();
    table.snapshots().forEach(s -> after.add(s.snapshotId()));
    before.removeAll(after);
    return before.size();
  }

  private static void carryForward(Table table) {
    for (int attempt = 1; ; attempt++) {
      try {
        var append = table.newAppend();
        CommitLog.carriedSummary(table).forEach(append::set);
        append.commit();
        return;
      } catch (CommitFailedException conflict) {
        if (attempt >= 20) {
          throw conflict;
        }
        table.refresh();
      }
    }
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
