package io.hindsight.history;

import io.hindsight.history.tables.CheckpointsTable;
import io.hindsight.history.tables.Micros;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Finds, per namespace, the latest checkpoint at or before an instant, mostly from file statistics:
 * a checkpoint is written as one file of its own, so a file's upper bound of {@code
 * checkpoint_time} is an exact checkpoint time; only files that straddle the instant (merged by
 * compaction) have their {@code checkpoint_time} column read.
 */
final class CheckpointLocator {
  private static final int TIME_FIELD =
      CheckpointsTable.SCHEMA.findField(CheckpointsTable.CHECKPOINT_TIME).fieldId();

  private CheckpointLocator() {}

  /** Latest checkpoint time at or before {@code at}, per namespace of {@code cluster}. */
  static Map<String, Instant> latest(
      Table checkpoints, String cluster, Optional<String> namespace, Instant at) {
    Expression filter =
        Expressions.and(
            Expressions.equal(CheckpointsTable.CLUSTER, cluster),
            Expressions.lessThanOrEqual(CheckpointsTable.CHECKPOINT_TIME, Micros.of(at)));
    if (namespace.isPresent()) {
      filter =
          Expressions.and(filter, Expressions.equal(CheckpointsTable.NAMESPACE, namespace.get()));
    }
    long atMicros = Micros.of(at);
    Map<String, Long> best = new HashMap<>();
    Map<String, List<DataFile>> straddling = new HashMap<>();
    try (CloseableIterable<FileScanTask> tasks =
        checkpoints.newScan().filter(filter).includeColumnStats().planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile file = task.file();
        String ns = file.partition().get(1, String.class);
        Long lower = bound(file.lowerBounds());
        Long upper = bound(file.upperBounds());
        if (upper != null && upper <= atMicros) {
          best.merge(ns, upper, Math::max);
        } else if (lower == null || lower <= atMicros) {
          straddling.computeIfAbsent(ns, k -> new ArrayList<>()).add(file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    straddling.forEach(
        (ns, files) -> {
          Long known = best.get(ns);
          boolean worthReading =
              files.stream()
                  .anyMatch(
                      f ->
                          bound(f.upperBounds()) == null
                              || known == null
                              || bound(f.upperBounds()) > known);
          if (worthReading) {
            readTimes(checkpoints, cluster, ns, at).ifPresent(t -> best.merge(ns, t, Math::max));
          }
        });
    Map<String, Instant> out = new HashMap<>();
    best.forEach((ns, micros) -> out.put(ns, Micros.toInstant(micros)));
    return out;
  }

  private static Long bound(Map<Integer, ByteBuffer> bounds) {
    return Micros.bound(bounds, TIME_FIELD);
  }

  private static Optional<Long> readTimes(
      Table checkpoints, String cluster, String ns, Instant at) {
    Long max = null;
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(checkpoints)
            .where(
                Expressions.and(
                    Expressions.equal(CheckpointsTable.CLUSTER, cluster),
                    Expressions.equal(CheckpointsTable.NAMESPACE, ns),
                    Expressions.lessThanOrEqual(CheckpointsTable.CHECKPOINT_TIME, Micros.of(at))))
            .select(CheckpointsTable.CHECKPOINT_TIME)
            .build()) {
      for (Record row : rows) {
        long t = Micros.of(TableRows.instant(row.getField(CheckpointsTable.CHECKPOINT_TIME)));
        max = max == null ? t : Math.max(max, t);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.ofNullable(max);
  }
}
