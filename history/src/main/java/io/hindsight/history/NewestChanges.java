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
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Binder;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.apache.parquet.io.api.Binary;

/**
 * The newest change per object among the changes of a {@link Scope}, decoding only what it keeps.
 * Replaying the changes after a checkpoint touches every change of the namespace since then (tens
 * of thousands an hour, and the rest of each row group the filter cannot skip), but the state keeps
 * one per object; Iceberg's generic reader makes a {@code String} of every string of every row it
 * reads, and that was most of {@code stateAt} (JFR profiles of figure 6). So, over the files of one
 * snapshot the scope selects (row groups pruned by the same filter):
 *
 * <ol>
 *   <li>every column but {@code object} and {@code labels}, raw ({@link RawColumns}): the scope and
 *       {@code counts} are checked on the raw values, the newest change per object kept by offset;
 *   <li>{@code kafka_partition}, {@code kafka_offset}, {@code object} and {@code labels}, raw
 *       again, decoded for the newest changes that are not deletes.
 * </ol>
 *
 * Only the kept rows' strings are ever decoded. Append-only tables have no delete files, and a
 * row's (partition, offset) is unique in a snapshot.
 */
final class NewestChanges {
  private NewestChanges() {}

  /**
   * The changes of {@code cluster} (and of one {@code namespace}, unless null) observed in [{@code
   * fromMicros} (null: from the start), {@code toMicros}].
   */
  record Scope(String cluster, String namespace, Long fromMicros, long toMicros) {
    Expression expression() {
      Expression e =
          Expressions.and(
              Expressions.equal(ChangesTable.CLUSTER, cluster),
              Expressions.lessThanOrEqual(ChangesTable.OBSERVED_AT, toMicros));
      if (namespace != null) {
        e = Expressions.and(e, Expressions.equal(ChangesTable.NAMESPACE, namespace));
      }
      if (fromMicros != null) {
        e =
            Expressions.and(
                e, Expressions.greaterThanOrEqual(ChangesTable.OBSERVED_AT, fromMicros));
      }
      return e;
    }
  }

  /** Whether a change of the scope counts, by where it was recorded. */
  interface Counts {
    boolean test(String namespace, int partition, long offset);
  }

  /** The newest change of each object (JSON and labels only where not deleted), and the count. */
  record Result(Map<ObjectId, Change> newest, long counted) {}

  private record RowKey(int partition, long offset) {}

  private record ObjectKey(Binary namespace, Binary apiGroup, Binary kind, Binary name) {}

  /**
   * The newest change (by offset) of each object among the changes of {@code scope} that {@code
   * counts} accepts. {@code pruning} narrows which files and row groups are read (it must not
   * exclude a change that counts).
   */
  static Result read(Table changes, Scope scope, Expression pruning, Counts counts) {
    Snapshot snapshot = changes.currentSnapshot();
    if (snapshot == null) {
      return new Result(Map.of(), 0);
    }
    Expression filter = Expressions.and(scope.expression(), pruning);
    List<FileScanTask> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks =
        changes.newScan().useSnapshot(snapshot.snapshotId()).filter(filter).planFiles()) {
      tasks.forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Columns c = new Columns(changes.schema(), filter);
    Map<ObjectKey, Record> newest = new HashMap<>();
    long counted = newestRows(changes, files, c, filter, scope, counts, newest);
    Map<RowKey, Record> wanted = new HashMap<>();
    Map<RowKey, Change> out = new HashMap<>();
    for (Record row : newest.values()) {
      RowKey key = new RowKey((Integer) row.get(c.partition), (Long) row.get(c.offset));
      if ("DELETED".equals(RawColumns.text(row.get(c.eventType)))) {
        out.put(key, change(changes, row, null, c));
      } else {
        wanted.put(key, row);
      }
    }
    if (!wanted.isEmpty()) {
      withBodies(changes, files, c, filter, wanted, out);
    }
    if (out.size() != newest.size()) {
      throw new HistoryException(
          HistoryException.Reason.UNREADABLE,
          "the changes table lost the JSON of "
              + (newest.size() - out.size())
              + " changes between two reads of snapshot "
              + snapshot.snapshotId()
              + ": the table is damaged");
    }
    Map<ObjectId, Change> byId = new HashMap<>();
    for (Change change : out.values()) {
      byId.put(change.object().id(), change);
    }
    return new Result(byId, counted);
  }

  /** Pass 1: the newest raw row per object into {@code newest}; how many rows counted. */
  private static long newestRows(
      Table changes,
      List<FileScanTask> files,
      Columns c,
      Expression filter,
      Scope scope,
      Counts counts,
      Map<ObjectKey, Record> newest) {
    Binary cluster = Binary.fromString(scope.cluster());
    Binary namespace = scope.namespace() == null ? null : Binary.fromString(scope.namespace());
    Map<Binary, String> namespaces = new HashMap<>();
    long counted = 0;
    for (FileScanTask file : files) {
      try (CloseableIterable<Record> rows = open(changes, file, c.rows, filter, c.rowIds)) {
        for (Record row : rows) {
          long observed = (Long) row.get(c.observedAt);
          Binary ns = (Binary) row.get(c.namespace);
          if (!cluster.equals(row.get(c.cluster))
              || (namespace != null && !namespace.equals(ns))
              || observed > scope.toMicros()
              || (scope.fromMicros() != null && observed < scope.fromMicros())) {
            continue;
          }
          String nsText = namespaces.get(ns);
          if (nsText == null) {
            // the map keeps a copy: ns is a view of the page, valid only while it is read
            nsText = ns.toStringUsingUTF8();
            namespaces.put(ns.copy(), nsText);
          }
          if (!counts.test(nsText, (Integer) row.get(c.partition), (Long) row.get(c.offset))) {
            continue;
          }
          counted++;
          Record kept = RawColumns.stable(row);
          newest.merge(
              new ObjectKey(
                  (Binary) kept.get(c.namespace),
                  (Binary) kept.get(c.apiGroup),
                  (Binary) kept.get(c.kind),
                  (Binary) kept.get(c.name)),
              kept,
              (a, b) -> (Long) a.get(c.offset) >= (Long) b.get(c.offset) ? a : b);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return counted;
  }

  /** Pass 2: the {@code wanted} rows with their JSON and labels into {@code out}. */
  private static void withBodies(
      Table changes,
      List<FileScanTask> files,
      Columns c,
      Expression filter,
      Map<RowKey, Record> wanted,
      Map<RowKey, Change> out) {
    int missing = wanted.size();
    for (FileScanTask file : files) {
      if (missing == 0) {
        return;
      }
      try (CloseableIterable<Record> rows = open(changes, file, c.bodies, filter, c.bodyIds)) {
        for (Record body : rows) {
          RowKey key =
              new RowKey((Integer) body.get(c.bodyPartition), (Long) body.get(c.bodyOffset));
          Record row = wanted.get(key);
          if (row != null && !out.containsKey(key)) {
            out.put(key, change(changes, row, body, c));
            missing--;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static CloseableIterable<Record> open(
      Table changes, FileScanTask file, Schema projection, Expression filter, Set<Integer> read) {
    return Parquet.read(
            changes.io().newInputFile(file.file().location(), file.file().fileSizeInBytes()))
        .project(projection)
        .filter(filter)
        .createReaderFunc(fileSchema -> RawColumns.reader(projection, fileSchema, read))
        .build();
  }

  /**
   * A kept row (and, unless it is a delete, its {@code body}: JSON and labels) decoded into a row
   * of the table and read back as every other reader of it does ({@link TableRows#change}).
   */
  private static Change change(Table changes, Record row, Record body, Columns c) {
    GenericRecord decoded = GenericRecord.create(changes.schema());
    RawColumns.decodeInto(row, decoded);
    if (body != null) {
      decoded.set(c.object, RawColumns.decoded(body.get(c.bodyObject), c.objectType));
      decoded.set(c.labels, RawColumns.decoded(body.get(c.bodyLabels), c.labelsType));
    }
    return TableRows.change(decoded);
  }

  /** Where the columns the passes look at sit in their projections. */
  private static final class Columns {
    final Schema rows;
    final Set<Integer> rowIds = new HashSet<>();
    final Schema bodies;
    final Set<Integer> bodyIds = new HashSet<>();
    final int cluster;
    final int namespace;
    final int apiGroup;
    final int kind;
    final int name;
    final int eventType;
    final int observedAt;
    final int partition;
    final int offset;
    final int bodyPartition;
    final int bodyOffset;
    final int bodyObject;
    final int bodyLabels;
    // where the body's two columns go in a row of the whole table
    final int object;
    final int labels;
    final Type objectType;
    final Type labelsType;

    Columns(Schema schema, Expression filter) {
      int objectId = schema.findField(ChangesTable.OBJECT).fieldId();
      int labelsId = schema.findField(ChangesTable.LABELS).fieldId();
      int partitionId = schema.findField(ChangesTable.KAFKA_PARTITION).fieldId();
      int offsetId = schema.findField(ChangesTable.KAFKA_OFFSET).fieldId();
      this.rows = TypeUtil.selectNot(schema, Set.of(objectId, labelsId));
      rows.columns().forEach(f -> rowIds.add(f.fieldId()));
      // the filter's columns are projected too, not read: the row-group filter binds to them
      Set<Integer> ids =
          new HashSet<>(Binder.boundReferences(schema.asStruct(), List.of(filter), true));
      bodyIds.addAll(List.of(partitionId, offsetId, objectId, labelsId));
      ids.addAll(bodyIds);
      this.bodies = TypeUtil.select(schema, ids);
      cluster = at(rows, ChangesTable.CLUSTER);
      namespace = at(rows, ChangesTable.NAMESPACE);
      apiGroup = at(rows, ChangesTable.API_GROUP);
      kind = at(rows, ChangesTable.KIND);
      name = at(rows, ChangesTable.NAME);
      eventType = at(rows, ChangesTable.EVENT_TYPE);
      observedAt = at(rows, ChangesTable.OBSERVED_AT);
      partition = at(rows, ChangesTable.KAFKA_PARTITION);
      offset = at(rows, ChangesTable.KAFKA_OFFSET);
      bodyPartition = at(bodies, ChangesTable.KAFKA_PARTITION);
      bodyOffset = at(bodies, ChangesTable.KAFKA_OFFSET);
      bodyObject = at(bodies, ChangesTable.OBJECT);
      bodyLabels = at(bodies, ChangesTable.LABELS);
      object = at(schema, ChangesTable.OBJECT);
      labels = at(schema, ChangesTable.LABELS);
      objectType = schema.findType(objectId);
      labelsType = schema.findType(labelsId);
    }

    private static int at(Schema projection, String column) {
      List<Types.NestedField> fields = projection.columns();
      for (int i = 0; i < fields.size(); i++) {
        if (fields.get(i).name().equals(column)) {
          return i;
        }
      }
      throw new IllegalStateException(column + " is not in " + projection);
    }
  }
}
