package io.hindsight.materializer;

import io.hindsight.history.tables.CommitLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of one stream thread, made durable in step with its Kafka transaction: {@link
 * #commit(Map)} runs right before the thread's producer commits (see {@link CommitHookProducer}),
 * appends the round's data files to each table with the source offsets and watermarks in the
 * snapshot summary, and {@link #abort()} drops them when the transaction aborts.
 *
 * <p>Exactly once: a crash after the Iceberg commit and before the Kafka commit makes the thread
 * reprocess records the table already holds; {@link #writes} tells the processor to skip them. A
 * crash before the Iceberg commit loses nothing, since Kafka rolls back too.
 *
 * <p>Fencing: every commit first checks that no other writer committed offsets of this thread's
 * partitions since this thread took them on (a zombie after a rebalance); the table's commit
 * retries are off ({@code commit.retry.num-retries=0}), so the check and the commit are one
 * compare-and-swap, retried here. A fenced thread's commit fails like a fenced producer: Kafka
 * Streams closes its tasks and rejoins, and the tasks start again from what the tables say.
 */
final class IcebergSink implements RowSink {
  private static final Logger LOG = LoggerFactory.getLogger(IcebergSink.class);

  private final String writerId;
  private final int writerNumber;
  private final Map<TableKind, Table> tables;
  private final long targetFileBytes;
  private final Duration commitTimeout;
  private final Duration idleCommitInterval;
  private final Clock clock;
  private final MaterializerMetrics metrics;

  private final Set<Integer> partitions = new HashSet<>();
  private final Set<Integer> leaving = new HashSet<>();
  private final Map<TableKind, Map<Integer, Long>> committedNext = new EnumMap<>(TableKind.class);
  private final Map<TableKind, Long> checkedSequence = new EnumMap<>(TableKind.class);

  /** Pending rows per table and source partition: a partition's rows go only with its offsets. */
  private final Map<TableKind, Map<Integer, TableWriter>> writers = new EnumMap<>(TableKind.class);

  private final Map<String, Map<Integer, Instant>> watermarks = new HashMap<>();
  private boolean watermarksMoved;
  private Instant lastChangesCommit = Instant.EPOCH;
  private long round;

  IcebergSink(
      String writerId,
      int writerNumber,
      Map<TableKind, Table> tables,
      long targetFileBytes,
      Duration commitTimeout,
      Duration idleCommitInterval,
      Clock clock,
      MaterializerMetrics metrics) {
    this.writerId = writerId;
    this.writerNumber = writerNumber;
    this.tables = new EnumMap<>(tables);
    this.targetFileBytes = targetFileBytes;
    this.commitTimeout = commitTimeout;
    this.idleCommitInterval = idleCommitInterval;
    this.clock = clock;
    this.metrics = metrics;
    for (TableKind kind : TableKind.values()) {
      committedNext.put(kind, new HashMap<>());
      writers.put(kind, new HashMap<>());
    }
  }

  String writerId() {
    return writerId;
  }

  @Override
  public void register(int partition) {
    leaving.remove(partition);
    long dropped = drop(partition);
    if (dropped > 0) {
      LOG.info(
          "{} dropped {} pending rows of partition {}: its new task produces them again",
          writerId,
          dropped,
          partition);
    }
    if (partitions.contains(partition)) {
      return;
    }
    for (TableKind kind : TableKind.values()) {
      Table table = tables.get(kind);
      table.refresh();
      checkFence(kind, table); // what this thread already owns must still be its own
      Long next = CommitLog.committedOffsets(table).get(partition);
      committedNext.get(kind).put(partition, next == null ? 0L : next);
      Snapshot current = table.currentSnapshot();
      checkedSequence.put(kind, current == null ? 0L : current.sequenceNumber());
    }
    partitions.add(partition);
    LOG.info(
        "{} took on partition {}: tables hold it through offsets {}",
        writerId,
        partition,
        describeCommitted(partition));
  }

  private String describeCommitted(int partition) {
    Map<TableKind, Long> next = new EnumMap<>(TableKind.class);
    committedNext.forEach((kind, byPartition) -> next.put(kind, byPartition.get(partition) - 1));
    return next.toString();
  }

  @Override
  public void unregister(int partition) {
    leaving.add(partition);
  }

  @Override
  public boolean writes(TableKind table, int partition, long offset) {
    Long next = committedNext.get(table).get(partition);
    return next == null || offset >= next;
  }

  @Override
  public void add(TableKind table, int partition, Record row) {
    writers
        .get(table)
        .computeIfAbsent(
            partition,
            p -> new TableWriter(tables.get(table), writerNumber, ++round, targetFileBytes))
        .write(row);
  }

  /** Deletes the pending rows of one partition; returns how many there were. */
  private long drop(int partition) {
    long rows = 0;
    for (Map<Integer, TableWriter> byPartition : writers.values()) {
      TableWriter writer = byPartition.remove(partition);
      if (writer != null) {
        rows += writer.rows();
        writer.abort();
      }
    }
    return rows;
  }

  @Override
  public void watermark(String cluster, int partition, Instant completeThrough) {
    Instant previous = watermarks.computeIfAbsent(cluster, c -> new HashMap<>()).get(partition);
    if (previous == null || completeThrough.isAfter(previous)) {
      watermarks.get(cluster).put(partition, completeThrough);
      watermarksMoved = true;
    }
  }

  /**
   * Commits the round to the tables, before Kafka commits {@code nextOffsets} (source partition →
   * next offset to read). Throws {@link ProducerFencedException} when another writer took a
   * partition over, and an {@link IllegalStateException} when the catalog stays unusable for the
   * commit timeout.
   */
  void commit(Map<Integer, Long> nextOffsets) {
    Map<Integer, Long> offsets = new TreeMap<>();
    nextOffsets.forEach(
        (p, next) -> {
          if (partitions.contains(p)) {
            offsets.put(p, next);
          }
        });
    Instant now = clock.instant();
    for (TableKind kind : List.of(TableKind.CHANGES, TableKind.GAPS, TableKind.CHECKPOINTS)) {
      // only the rows of partitions whose offsets this transaction commits; the others stay
      // pending (their task commits later, or starts again and drops them)
      List<TableWriter> due = new ArrayList<>();
      for (Integer p : offsets.keySet()) {
        TableWriter writer = writers.get(kind).remove(p);
        if (writer != null) {
          due.add(writer);
        }
      }
      boolean idleWatermark =
          kind == TableKind.CHANGES
              && watermarksMoved
              && Duration.between(lastChangesCommit, now).compareTo(idleCommitInterval) >= 0;
      if (offsets.isEmpty() || (due.isEmpty() && !idleWatermark)) {
        continue;
      }
      List<DataFile> files = new ArrayList<>();
      long rows = 0;
      for (TableWriter writer : due) {
        files.addAll(writer.complete());
        rows += writer.rows();
      }
      // while replaying what a table already holds, its recorded position must not go back
      Map<Integer, Long> positions = new TreeMap<>();
      offsets.forEach(
          (p, next) ->
              positions.put(p, Math.max(next, committedNext.get(kind).getOrDefault(p, 0L))));
      Map<String, Map<Integer, Instant>> marks =
          kind == TableKind.CHANGES ? watermarksOf(positions.keySet()) : Map.of();
      long started = System.nanoTime();
      append(kind, files, positions, marks);
      metrics.committed(kind, rows, files.size(), started);
      LOG.debug(
          "{} committed {} rows in {} files to {} in {} ms, positions {}",
          writerId,
          rows,
          files.size(),
          kind,
          (System.nanoTime() - started) / 1_000_000,
          positions);
      committedNext.get(kind).putAll(positions);
      if (kind == TableKind.CHANGES) {
        lastChangesCommit = now;
        watermarksMoved = false;
      }
    }
    for (Integer p : leaving) {
      drop(p); // never committed: whoever takes the partition over produces them again
      partitions.remove(p);
      committedNext.values().forEach(m -> m.remove(p));
    }
    leaving.clear();
  }

  private Map<String, Map<Integer, Instant>> watermarksOf(Set<Integer> covered) {
    Map<String, Map<Integer, Instant>> out = new HashMap<>();
    watermarks.forEach(
        (cluster, byPartition) ->
            byPartition.forEach(
                (p, at) -> {
                  if (covered.contains(p)) {
                    out.computeIfAbsent(cluster, c -> new HashMap<>()).put(p, at);
                  }
                }));
    return out;
  }

  /** Drops the round: its files are deleted, nothing was committed. */
  void abort() {
    for (Map<Integer, TableWriter> byPartition : writers.values()) {
      byPartition.values().forEach(TableWriter::abort);
      byPartition.clear();
    }
    for (Integer p : leaving) {
      partitions.remove(p);
      committedNext.values().forEach(m -> m.remove(p));
    }
    leaving.clear();
  }

  /** Forgets every partition (after a fence or a lost transaction): tasks register again. */
  void reset() {
    abort();
    partitions.clear();
    committedNext.values().forEach(Map::clear);
    watermarks.clear();
    watermarksMoved = false;
  }

  private void append(
      TableKind kind,
      List<DataFile> files,
      Map<Integer, Long> offsets,
      Map<String, Map<Integer, Instant>> marks) {
    Table table = tables.get(kind);
    Map<String, String> summary = CommitLog.summary(writerId, offsets, marks);
    Instant deadline = clock.instant().plus(commitTimeout);
    long backoffMs = 50;
    RuntimeException last = null;
    while (clock.instant().isBefore(deadline)) {
      try {
        table.refresh();
        checkFence(kind, table);
        AppendFiles append = table.newAppend();
        files.forEach(append::appendFile);
        summary.forEach(append::set);
        append.commit();
        Snapshot committed = table.currentSnapshot();
        checkedSequence.put(kind, committed.sequenceNumber());
        return;
      } catch (ProducerFencedException fenced) {
        throw fenced;
      } catch (CommitFailedException conflict) {
        metrics.conflicts.inc();
        last = conflict; // another writer committed first: check again and retry at once
        backoffMs = 50;
        continue;
      } catch (CommitStateUnknownException unknown) {
        last = unknown;
        table.refresh();
        if (landed(table, summary)) {
          checkedSequence.put(kind, table.currentSnapshot().sequenceNumber());
          return;
        }
      } catch (RuntimeException e) {
        last = e;
        if (landedAfterAll(table, summary)) {
          checkedSequence.put(kind, table.currentSnapshot().sequenceNumber());
          return; // the failure came after the catalog took the commit: do not append it twice
        }
        LOG.warn(
            "commit to {} failed, retrying in {} ms: {}", table.name(), backoffMs, e.toString());
      }
      sleep(backoffMs);
      backoffMs = Math.min(backoffMs * 2, 5_000);
    }
    throw new IllegalStateException(
        "could not commit to "
            + table.name()
            + " within "
            + MaterializerConfig.COMMIT_TIMEOUT_MS
            + "="
            + commitTimeout.toMillis()
            + ": "
            + last,
        last);
  }

  /** As {@link #landed}, after a refresh; false when the catalog cannot be read either. */
  private static boolean landedAfterAll(Table table, Map<String, String> summary) {
    try {
      table.refresh();
      return landed(table, summary);
    } catch (RuntimeException unreadable) {
      return false;
    }
  }

  /** Whether a snapshot with exactly this summary is in the table (a commit of unknown outcome). */
  private static boolean landed(Table table, Map<String, String> summary) {
    for (Snapshot snapshot : table.snapshots()) {
      Map<String, String> s = snapshot.summary();
      if (summary.entrySet().stream().allMatch(e -> e.getValue().equals(s.get(e.getKey())))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Throws {@link ProducerFencedException} when a snapshot newer than what this writer has checked
   * records offsets of one of its partitions and was written by someone else.
   */
  private void checkFence(TableKind kind, Table table) {
    long checked = checkedSequence.getOrDefault(kind, Long.MAX_VALUE);
    long newest = checked;
    for (Snapshot snapshot : table.snapshots()) {
      if (snapshot.sequenceNumber() <= checked) {
        continue;
      }
      newest = Math.max(newest, snapshot.sequenceNumber());
      CommitLog.Entry entry = CommitLog.entry(snapshot);
      if (entry == null || entry.carried() || entry.writer().equals(writerId)) {
        continue;
      }
      for (Integer p : entry.offsets().keySet()) {
        if (partitions.contains(p)) {
          metrics.fenced.inc();
          throw new ProducerFencedException(
              writerId
                  + " was fenced: "
                  + entry.writer()
                  + " committed partition "
                  + p
                  + " of "
                  + table.name()
                  + " in snapshot "
                  + snapshot.snapshotId());
        }
      }
    }
    if (checked != Long.MAX_VALUE) {
      checkedSequence.put(kind, newest);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying a commit", e);
    }
  }
}
