package io.hindsight.testhistories;

import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.CheckpointsTable;
import io.hindsight.history.tables.CommitLog;
import io.hindsight.history.tables.GapsTable;
import io.hindsight.history.tables.HistoryTables;
import io.hindsight.materializer.Rows;
import io.hindsight.schemas.NamespacePartitioner;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.EventType;
import io.hindsight.schemas.avro.WatchGap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * Writes a history into the three tables the way the streams-app does, without Kafka: every record
 * (change, heartbeat, gap) takes the next offset of its namespace's partition ({@link
 * NamespacePartitioner}), rows come from the streams-app's own {@link Rows}, and each {@link
 * #commit()} appends one round per table with the offsets and watermarks in the snapshot summary
 * ({@link CommitLog}). Checkpoints follow the streams-app's rule: a namespace that changed is
 * checkpointed once its partition's business time is a checkpoint interval past its last checkpoint
 * (or its first change), with every live object, the partition's time and the last offset it
 * includes; this writer checks after every record, which is one of the schedules the app's
 * punctuator can produce.
 *
 * <p>No dedupe: a script never repeats a change.
 */
public final class HistoryWriter {
  private final Catalog catalog;
  private final String cluster;
  private final int partitions;
  private final long intervalMicros;
  private final Map<TableIdentifier, List<Record>> pending = new LinkedHashMap<>();
  private final Map<Integer, Long> nextOffset = new TreeMap<>();
  private final Map<Integer, Long> partitionTime = new HashMap<>();
  private final Map<Integer, Instant> watermarks = new TreeMap<>();
  private final Map<Integer, Long> roundOffsets = new TreeMap<>();
  // per namespace: object key -> latest accepted change and its offset
  private final Map<String, Map<String, Latest>> latest = new HashMap<>();
  private final Map<String, Progress> progress = new HashMap<>();
  private int round;

  private record Latest(ChangeEnvelope change, long offset) {}

  private record Progress(long lastCheckpointMicros, long changesSince) {}

  public HistoryWriter(Catalog catalog, String cluster, int partitions, Duration interval) {
    this.catalog = catalog;
    this.cluster = cluster;
    this.partitions = partitions;
    this.intervalMicros = interval.toNanos() / 1000;
    HistoryTables.ensure(catalog);
    Table changes = catalog.loadTable(ChangesTable.ID);
    changes
        .updateProperties()
        .set(CommitLog.SOURCE_PARTITIONS, String.valueOf(partitions))
        .commit();
    for (TableIdentifier id : List.of(ChangesTable.ID, CheckpointsTable.ID, GapsTable.ID)) {
      pending.put(id, new ArrayList<>());
    }
  }

  public int partitionOf(String namespace) {
    return NamespacePartitioner.partitionOf(cluster, namespace, partitions);
  }

  private long take(int partition) {
    long offset = nextOffset.getOrDefault(partition, 0L);
    nextOffset.put(partition, offset + 1);
    roundOffsets.put(partition, offset + 1);
    return offset;
  }

  private void advance(int partition, Instant at) {
    partitionTime.merge(partition, micros(at), Math::max);
  }

  /** One change of one object, as the watcher publishes it. */
  public void change(ChangeEnvelope e) {
    int partition = partitionOf(e.getNamespace());
    long offset = take(partition);
    advance(partition, e.getObservedAt());
    pending.get(ChangesTable.ID).add(Rows.change(e, partition, offset));
    String key = Rows.groupOf(e.getApiVersion()) + "/" + e.getKind() + "/" + e.getName();
    latest.computeIfAbsent(e.getNamespace(), ns -> new TreeMap<>()).put(key, new Latest(e, offset));
    progress.merge(
        e.getNamespace(),
        new Progress(micros(e.getObservedAt()), 1),
        (old, fresh) -> new Progress(old.lastCheckpointMicros(), old.changesSince() + 1));
    checkpointDue(partition, offset);
  }

  /** A synced heartbeat to every partition: everything through {@code through} is recorded. */
  public void heartbeat(Instant through) {
    for (int p = 0; p < partitions; p++) {
      long offset = take(p);
      advance(p, through);
      watermarks.put(p, through);
      checkpointDue(p, offset);
    }
  }

  /** A watcher gap, sent to every partition as the watcher does. */
  public void gap(String resource, Instant from, Instant to, String reason) {
    for (int p = 0; p < partitions; p++) {
      long offset = take(p);
      pending
          .get(GapsTable.ID)
          .add(Rows.gap(new WatchGap(cluster, "script", p, resource, from, to, reason), p, offset));
    }
  }

  private void checkpointDue(int partition, long throughOffset) {
    long now = partitionTime.get(partition);
    for (Map.Entry<String, Progress> entry : progress.entrySet()) {
      String namespace = entry.getKey();
      Progress p = entry.getValue();
      if (partitionOf(namespace) != partition
          || p.changesSince() == 0
          || now - p.lastCheckpointMicros() < intervalMicros) {
        continue;
      }
      List<Latest> live = new ArrayList<>();
      for (Latest object : latest.getOrDefault(namespace, Map.of()).values()) {
        if (object.change().getEventType() != EventType.DELETED) {
          live.add(object);
        }
      }
      Instant at = Instant.EPOCH.plusNanos(now * 1000);
      for (Latest object : live) {
        pending
            .get(CheckpointsTable.ID)
            .add(
                Rows.checkpoint(
                    object.change(), object.offset(), at, partition, throughOffset, live.size()));
      }
      latest.getOrDefault(namespace, new HashMap<>()).values().removeIf(o -> !live.contains(o));
      entry.setValue(new Progress(now, 0));
    }
  }

  /** Appends what is pending to each table, one snapshot per table, as one streams-app round. */
  public void commit() {
    round++;
    Map<String, String> summary =
        CommitLog.summary(
            "test-histories",
            Map.copyOf(roundOffsets),
            watermarks.isEmpty() ? Map.of() : Map.of(cluster, Map.copyOf(watermarks)));
    for (Map.Entry<TableIdentifier, List<Record>> entry : pending.entrySet()) {
      Table table = catalog.loadTable(entry.getKey());
      List<DataFile> files = write(table, entry.getValue());
      if (files.isEmpty() && !entry.getKey().equals(ChangesTable.ID)) {
        continue;
      }
      AppendFiles append = table.newAppend();
      files.forEach(append::appendFile);
      summary.forEach(append::set);
      append.commit();
      entry.getValue().clear();
    }
    roundOffsets.clear();
  }

  private List<DataFile> write(Table table, List<Record> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    GenericFileWriterFactory factory =
        new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 1, round)
            .format(FileFormat.PARQUET)
            .operationId(UUID.randomUUID().toString())
            .build();
    FanoutDataWriter<Record> writer =
        new FanoutDataWriter<>(factory, files, table.io(), 128L * 1024 * 1024);
    PartitionKey key = new PartitionKey(table.spec(), table.schema());
    InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
    try (writer) {
      for (Record row : rows) {
        key.partition(wrapper.wrap(row));
        writer.write(row, table.spec(), key);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.result().dataFiles();
  }

  private static long micros(Instant at) {
    return io.hindsight.history.tables.Micros.of(at);
  }
}
