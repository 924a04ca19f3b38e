package io.hindsight.bench;

import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.Micros;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The baseline of figure 6: the state of a namespace at T from the changes alone, no checkpoints —
 * every change of the namespace observed at or before T read through Iceberg's generic reader (the
 * reader's own read path, all columns), the newest per object (by offset; a namespace has one
 * partition) kept, deleted objects dropped.
 */
final class FullReplay {
  private FullReplay() {}

  /**
   * {@code group/kind/name} → {@code uid@resourceVersion#hash}, as {@code HistoryBuilder} models.
   */
  static Map<String, String> stateAt(Table changes, String cluster, String namespace, Instant at) {
    Map<String, Record> newest = new HashMap<>();
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(changes)
            .where(
                Expressions.and(
                    Expressions.equal(ChangesTable.CLUSTER, cluster),
                    Expressions.equal(ChangesTable.NAMESPACE, namespace),
                    Expressions.lessThanOrEqual(ChangesTable.OBSERVED_AT, Micros.of(at))))
            .build()) {
      for (Record row : rows) {
        String key =
            row.getField(ChangesTable.API_GROUP)
                + "/"
                + row.getField(ChangesTable.KIND)
                + "/"
                + row.getField(ChangesTable.NAME);
        Record known = newest.get(key);
        if (known == null
            || (Long) known.getField(ChangesTable.KAFKA_OFFSET)
                < (Long) row.getField(ChangesTable.KAFKA_OFFSET)) {
          newest.put(key, row.copy());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> state = new TreeMap<>();
    newest.forEach(
        (key, row) -> {
          if (!"DELETED".equals(row.getField(ChangesTable.EVENT_TYPE))) {
            state.put(
                key,
                row.getField(ChangesTable.UID)
                    + "@"
                    + row.getField(ChangesTable.RESOURCE_VERSION)
                    + "#"
                    + row.getField(ChangesTable.OBJECT_HASH));
          }
        });
    return state;
  }
}
