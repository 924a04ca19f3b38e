package io.hindsight.bench;

import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.CheckpointsTable;
import io.hindsight.history.tables.CommitLog;
import io.hindsight.history.tables.Micros;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;

/**
 * The writer of one layout of a built history, on a thread of its own so the layouts are written
 * side by side while the history is generated: batches of rows are kept until their day is closed,
 * then sorted by the table's sort order (as the streams-app's compaction leaves old history) and
 * written into that day's files with one append (the commit log in its summary); checkpoint files
 * are appended to its {@code checkpoints} table. It also counts the partitions each commit interval
 * of rows touches ({@link CommitFanout}), which the files of the app's commits follow. Its CPU time
 * (this thread's, Parquet encoding and compression included) is the layout's write cost, steadier
 * on a shared machine than wall time.
 */
final class LayoutWriter implements AutoCloseable {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private sealed interface Job {}

  private record Batch(List<Record> rows) implements Job {}

  private record CloseDay(Map<String, String> summary, boolean commitEmpty) implements Job {}

  private record Checkpoints(List<DataFile> files) implements Job {}

  private record Stop() implements Job {}

  /** The changes table's sort order: namespace, observed_at, kafka_offset. */
  static final Comparator<Record> SORT_ORDER =
      Comparator.comparing((Record r) -> (String) r.getField(ChangesTable.NAMESPACE))
          .thenComparing(r -> (OffsetDateTime) r.getField(ChangesTable.OBSERVED_AT))
          .thenComparing(r -> (Long) r.getField(ChangesTable.KAFKA_OFFSET));

  private final HistoryBuilder.Layout layout;
  private final BenchCatalog catalog;
  private final Table changes;
  private final Table checkpoints;
  private final long targetFileBytes;
  private final BlockingQueue<Job> jobs = new ArrayBlockingQueue<>(4);
  private final Thread thread;
  private volatile Throwable failure;
  private final List<Record> day = new ArrayList<>();
  private final CommitFanout fanout;
  private final PartitionKey partitionKey;
  private final InternalRecordWrapper wrapper;
  private long rows;
  private int files;
  private long bytes;
  private long cpuNanos;
  private long wallNanos;

  LayoutWriter(
      HistoryBuilder.Layout layout,
      BenchCatalog catalog,
      int partitions,
      long targetFileBytes,
      long commitIntervalMicros) {
    this.layout = layout;
    this.catalog = catalog;
    this.changes = catalog.createHistoryTables(layout.spec(), layout.properties());
    changes
        .updateProperties()
        .set(CommitLog.SOURCE_PARTITIONS, String.valueOf(partitions))
        .commit();
    this.checkpoints = catalog.load(CheckpointsTable.ID);
    this.targetFileBytes = targetFileBytes;
    this.fanout = new CommitFanout(commitIntervalMicros);
    this.partitionKey = new PartitionKey(changes.spec(), changes.schema());
    this.wrapper = new InternalRecordWrapper(changes.schema().asStruct());
    this.thread = new Thread(this::run, "bench-history-" + layout.name());
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * A {@code checkpoints} table of this catalog to write checkpoint files with (another thread).
   */
  Table checkpointsTable() {
    return catalog.load(CheckpointsTable.ID);
  }

  void write(List<Record> batch) throws InterruptedException {
    submit(new Batch(batch));
  }

  /** Closes the day's files and appends them with {@code summary}; an empty day only if asked. */
  void closeDay(Map<String, String> summary, boolean commitEmpty) throws InterruptedException {
    submit(new CloseDay(summary, commitEmpty));
  }

  void appendCheckpoints(List<DataFile> files) throws InterruptedException {
    submit(new Checkpoints(List.copyOf(files)));
  }

  /** Waits for everything submitted, stops the thread and returns what was written. */
  HistoryBuilder.Written finish() throws InterruptedException {
    submit(new Stop());
    thread.join();
    checkFailure();
    double cpu = cpuNanos / 1e9;
    double wall = wallNanos / 1e9;
    return new HistoryBuilder.Written(
        layout.name(),
        layout.description(),
        rows,
        files,
        bytes,
        fanout.result(),
        cpu,
        rows / cpu,
        wall,
        rows / wall);
  }

  private void submit(Job job) throws InterruptedException {
    while (!jobs.offer(job, 1, TimeUnit.SECONDS)) {
      checkFailure();
    }
    checkFailure();
  }

  private void checkFailure() {
    if (failure != null) {
      throw new IllegalStateException("writing layout " + layout.name() + " failed", failure);
    }
  }

  private void run() {
    try {
      while (true) {
        Job job = jobs.take();
        if (job instanceof Stop) {
          return;
        }
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        if (job instanceof Batch batch) {
          for (Record row : batch.rows()) {
            partitionKey.partition(wrapper.wrap(row));
            OffsetDateTime at = (OffsetDateTime) row.getField(ChangesTable.OBSERVED_AT);
            fanout.observe(Micros.of(at.toInstant()), partitionKey.toPath());
          }
          day.addAll(batch.rows());
          rows += batch.rows().size();
        } else if (job instanceof CloseDay close && (!day.isEmpty() || close.commitEmpty())) {
          List<DataFile> written = writeDay();
          RawIcebergWriter.append(changes, written, close.summary());
          files += written.size();
          bytes += written.stream().mapToLong(DataFile::fileSizeInBytes).sum();
        } else if (job instanceof Checkpoints c && !c.files().isEmpty()) {
          RawIcebergWriter.append(checkpoints, c.files(), Map.of());
        }
        cpuNanos += THREADS.getCurrentThreadCpuTime() - cpu0;
        wallNanos += System.nanoTime() - wall0;
      }
    } catch (Throwable t) {
      failure = t;
    }
  }

  /** The day's rows, sorted, into files of their partitions. */
  private List<DataFile> writeDay() {
    if (day.isEmpty()) {
      return List.of();
    }
    day.sort(SORT_ORDER);
    RawIcebergWriter writer = new RawIcebergWriter(changes, 1, System.nanoTime(), targetFileBytes);
    day.forEach(writer::write);
    day.clear();
    return writer.complete();
  }

  @Override
  public void close() throws Exception {
    thread.interrupt();
    catalog.close();
  }
}
