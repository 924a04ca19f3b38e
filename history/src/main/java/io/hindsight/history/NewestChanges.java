package io.hindsight.history;

import io.hindsight.history.tables.ChangesTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Binder;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.parquet.ParquetValueReader;
import org.apache.iceberg.parquet.ParquetValueReaders;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * The newest change per object among the rows of {@code changes} that a filter selects, reading the
 * object JSON of only those changes. Replaying the changes after a checkpoint touches every change
 * of the namespace since then (tens of thousands an hour), but the state keeps one per object, and
 * the JSON is nearly all of a row's bytes: decoding it for every row was three quarters of {@code
 * stateAt} (a JFR profile of figure 6). So it reads in two passes over one snapshot:
 *
 * <ol>
 *   <li>every column but {@code object}, through Iceberg's generic reader (row filter applied),
 *       keeping the newest change per object by offset;
 *   <li>{@code kafka_partition}, {@code kafka_offset} and {@code object} of the same files (the
 *       filter prunes row groups as before), the JSON left undecoded (a Parquet {@link Binary} over
 *       the page) except for the newest changes that are not deletes.
 * </ol>
 *
 * Append-only tables have no delete files; a row's (partition, offset) is unique in a snapshot, so
 * the second pass needs no row filter of its own.
 */
final class NewestChanges {
  private NewestChanges() {}

  /** The newest change of each object, and how many selected rows were counted. */
  record Result(Map<ObjectId, Change> newest, long counted) {}

  private record RowKey(int partition, long offset) {}

  /**
   * The newest change (by offset) of each object among the rows {@code filter} selects that {@code
   * counts} accepts, with its JSON (null for deletes: a replay drops the object).
   */
  static Result read(Table changes, Expression filter, Predicate<Change> counts) {
    Snapshot snapshot = changes.currentSnapshot();
    if (snapshot == null) {
      return new Result(Map.of(), 0);
    }
    Map<ObjectId, Change> newest = new HashMap<>();
    long counted = 0;
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(changes)
            .useSnapshot(snapshot.snapshotId())
            .where(filter)
            .select(columnsBut(changes.schema(), ChangesTable.OBJECT))
            .build()) {
      for (Record row : rows) {
        Change change = TableRows.change(row);
        if (!counts.test(change)) {
          continue;
        }
        counted++;
        newest.merge(
            change.object().id(),
            change,
            (a, b) -> a.object().kafkaOffset() >= b.object().kafkaOffset() ? a : b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<RowKey, Change> wanted = new HashMap<>();
    for (Change change : newest.values()) {
      if (!change.deleted()) {
        wanted.put(
            new RowKey(change.object().kafkaPartition(), change.object().kafkaOffset()), change);
      }
    }
    Map<RowKey, String> json = readJson(changes, snapshot, filter, wanted.keySet());
    if (json.size() != wanted.size()) {
      throw new HistoryException(
          HistoryException.Reason.UNREADABLE,
          "the changes table lost the JSON of "
              + (wanted.size() - json.size())
              + " changes between two reads of snapshot "
              + snapshot.snapshotId()
              + ": the table is damaged");
    }
    wanted.forEach(
        (key, change) -> newest.put(change.object().id(), withJson(change, json.get(key))));
    return new Result(newest, counted);
  }

  private static String[] columnsBut(Schema schema, String left) {
    return schema.columns().stream()
        .map(Types.NestedField::name)
        .filter(name -> !name.equals(left))
        .toArray(String[]::new);
  }

  private static Change withJson(Change change, String json) {
    StoredObject o = change.object();
    return new Change(
        new StoredObject(
            o.id(),
            o.apiVersion(),
            o.uid(),
            o.resourceVersion(),
            o.generation(),
            o.observedAt(),
            json,
            o.objectHash(),
            o.labels(),
            o.sealKeyId(),
            o.kafkaPartition(),
            o.kafkaOffset()),
        change.eventType(),
        change.origin(),
        change.deletedFinalStateUnknown(),
        change.watcherRunId());
  }

  /** The JSON of the {@code wanted} rows, from the files of {@code snapshot} the filter selects. */
  private static Map<RowKey, String> readJson(
      Table changes, Snapshot snapshot, Expression filter, Set<RowKey> wanted) {
    Map<RowKey, String> out = new HashMap<>();
    if (wanted.isEmpty()) {
      return out;
    }
    Schema schema = changes.schema();
    int partitionId = schema.findField(ChangesTable.KAFKA_PARTITION).fieldId();
    int offsetId = schema.findField(ChangesTable.KAFKA_OFFSET).fieldId();
    int objectId = schema.findField(ChangesTable.OBJECT).fieldId();
    // the filter's columns are projected too (not read): the row-group filter binds to them
    Set<Integer> ids =
        new HashSet<>(Binder.boundReferences(schema.asStruct(), List.of(filter), true));
    ids.addAll(List.of(partitionId, offsetId, objectId));
    Schema projection = TypeUtil.select(schema, ids);
    int partitionPos = position(projection, partitionId);
    int offsetPos = position(projection, offsetId);
    int objectPos = position(projection, objectId);
    try (CloseableIterable<FileScanTask> tasks =
        changes.newScan().useSnapshot(snapshot.snapshotId()).filter(filter).planFiles()) {
      for (FileScanTask task : tasks) {
        try (CloseableIterable<Record> rows =
            Parquet.read(
                    changes
                        .io()
                        .newInputFile(task.file().location(), task.file().fileSizeInBytes()))
                .project(projection)
                .filter(filter)
                .createReaderFunc(
                    fileSchema ->
                        reader(projection, fileSchema, Set.of(partitionId, offsetId, objectId)))
                .build()) {
          for (Record row : rows) {
            RowKey key = new RowKey((Integer) row.get(partitionPos), (Long) row.get(offsetPos));
            if (wanted.contains(key)) {
              out.put(key, ((Binary) row.get(objectPos)).toStringUsingUTF8());
            }
          }
        }
        if (out.size() == wanted.size()) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static int position(Schema projection, int fieldId) {
    List<Types.NestedField> fields = projection.columns();
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).fieldId() == fieldId) {
        return i;
      }
    }
    throw new IllegalStateException("field " + fieldId + " is not in " + projection);
  }

  /**
   * Reads the {@code read} fields of {@code projection} as Parquet leaves them (a string as an
   * undecoded {@link Binary}), every other field as null without touching its pages.
   */
  private static ParquetValueReader<?> reader(
      Schema projection, MessageType fileSchema, Set<Integer> read) {
    List<ParquetValueReader<?>> readers = new ArrayList<>();
    for (Types.NestedField field : projection.columns()) {
      if (!read.contains(field.fieldId())) {
        readers.add(ParquetValueReaders.nulls());
        continue;
      }
      Type column = columnOf(fileSchema, field);
      ColumnDescriptor desc = fileSchema.getColumnDescription(new String[] {column.getName()});
      ParquetValueReader<?> leaf = new ParquetValueReaders.UnboxedReader<>(desc);
      readers.add(
          desc.getMaxDefinitionLevel() > 0
              ? ParquetValueReaders.option(column, desc.getMaxDefinitionLevel() - 1, leaf)
              : leaf);
    }
    return ParquetValueReaders.recordReader(readers, projection.asStruct());
  }

  private static Type columnOf(MessageType fileSchema, Types.NestedField field) {
    for (Type column : fileSchema.getFields()) {
      if (column.getId() != null && column.getId().intValue() == field.fieldId()) {
        return column;
      }
    }
    throw new HistoryException(
        HistoryException.Reason.UNREADABLE,
        "a data file of the changes table has no column "
            + field.name()
            + " (field id "
            + field.fieldId()
            + "): the table is damaged");
  }
}
