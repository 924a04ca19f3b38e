package io.hindsight.bench;

import io.hindsight.history.tables.CheckpointsTable;
import io.hindsight.history.tables.CommitLog;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;

/**
 * The writer of one layout of a built history, on a thread of its own so the layouts are written
 * side by side while the history is generated: batches of rows go into the current day's files, a
 * day is closed with one append (the commit log in its summary), checkpoint files are appended to
 * its {@code checkpoints} table. Its CPU time (this thread's, Parquet encoding and compression
 * included) is the layout's write cost, steadier on a shared machine than wall time.
 */
final class LayoutWriter implements AutoCloseable {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private sealed interface Job {}

  private record Batch(List<Record> rows) implements Job {}

  private record CloseDay(Map<String, String> summary, boolean commitEmpty) implements Job {}

  private record Checkpoints(List<DataFile> files) implements Job {}

  private record Stop() implements Job {}

  private final HistoryBuilder.Layout layout;
  private final BenchCatalog catalog;
  private final Table changes;
  private final Table checkpoints;
  private final long targetFileBytes;
  private final BlockingQueue<Job> jobs = new ArrayBlockingQueue<>(4);
  private final Thread thread;
  private volatile Throwable failure;
  private RawIcebergWriter day;
  private long rows;
  private int files;
  private long bytes;
  private long cpuNanos;
  private long wallNanos;

  LayoutWriter(
      HistoryBuilder.Layout layout, BenchCatalog catalog, int partitions, long targetFileBytes) {
    this.layout = layout;
    this.catalog = catalog;
    this.changes = catalog.createHistoryTables(layout.spec(), layout.properties());
    changes
        .updateProperties()
        .set(CommitLog.SOURCE_PARTITIONS, String.valueOf(partitions))
        .commit();
    this.checkpoints = catalog.load(CheckpointsTable.ID);
    this.targetFileBytes = targetFileBytes;
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
          if (day == null) {
            day = new RawIcebergWriter(changes, 1, System.nanoTime(), targetFileBytes);
          }
          for (Record row : batch.rows()) {
            day.write(row);
          }
          rows += batch.rows().size();
        } else if (job instanceof CloseDay close && (day != null || close.commitEmpty())) {
          List<DataFile> written = day == null ? List.of() : day.complete();
          RawIcebergWriter.append(changes, written, close.summary());
          files += written.size();
          bytes += written.stream().mapToLong(DataFile::fileSizeInBytes).sum();
          day = null;
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

  @Override
  public void close() throws Exception {
    thread.interrupt();
    catalog.close();
  }
}
