package io.hindsight.materializer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.data.Record;

/** A {@link RowSink} that keeps rows in lists, for topology tests without a catalog. */
final class MemorySink implements RowSink {
  final Map<TableKind, List<Record>> rows = new EnumMap<>(TableKind.class);
  final Map<String, Map<Integer, Instant>> watermarks = new HashMap<>();

  /** Per table, the next offset the "table" already holds (records below it are not written). */
  final Map<TableKind, Long> committedNext = new EnumMap<>(TableKind.class);

  final List<Integer> registered = new ArrayList<>();

  MemorySink() {
    for (TableKind kind : TableKind.values()) {
      rows.put(kind, new ArrayList<>());
    }
  }

  List<Record> rows(TableKind kind) {
    return rows.get(kind);
  }

  @Override
  public void register(int partition) {
    registered.add(partition);
  }

  @Override
  public void unregister(int partition) {
    registered.remove(Integer.valueOf(partition));
  }

  @Override
  public boolean writes(TableKind table, int partition, long offset) {
    return offset >= committedNext.getOrDefault(table, 0L);
  }

  @Override
  public void add(TableKind table, int partition, Record row) {
    rows.get(table).add(row);
  }

  @Override
  public void watermark(String cluster, int partition, Instant completeThrough) {
    watermarks.computeIfAbsent(cluster, c -> new HashMap<>()).put(partition, completeThrough);
  }
}
