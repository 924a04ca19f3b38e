package io.hindsight.materializer;

import java.time.Instant;
import org.apache.iceberg.data.Record;

/**
 * Where the processor puts what it decided, per stream thread: rows for the three tables and
 * watermarks, made durable together with the Kafka transaction of the same thread ({@link
 * IcebergSink}). A source record whose offset the table already holds is not written again: that is
 * how a crash between an Iceberg commit and a Kafka commit neither loses nor duplicates a row.
 */
interface RowSink {
  /** The tables of the history. */
  enum TableKind {
    CHANGES,
    CHECKPOINTS,
    GAPS
  }

  /**
   * Takes on a source partition (a task started on this thread); reads where its tables stand. A
   * task starts from Kafka's committed offset, so rows of the partition still pending from an
   * earlier task on it (closed dirty, never committed) are dropped: they will be produced again.
   */
  void register(int partition);

  /** Gives a partition up (its task closed); what is pending still goes with the next commit. */
  void unregister(int partition);

  /** False when {@code table} already holds what the record at {@code offset} produces. */
  boolean writes(TableKind table, int partition, long offset);

  /** A row produced by a record (or a punctuation) of source partition {@code partition}. */
  void add(TableKind table, int partition, Record row);

  void watermark(String cluster, int partition, Instant completeThrough);
}
