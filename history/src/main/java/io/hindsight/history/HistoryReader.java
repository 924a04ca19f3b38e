package io.hindsight.history;

import io.hindsight.history.HistoryException.Reason;
import io.hindsight.history.tables.CatalogConfig;
import io.hindsight.history.tables.Catalogs;
import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.CheckpointsTable;
import io.hindsight.history.tables.CommitLog;
import io.hindsight.history.tables.GapsTable;
import io.hindsight.history.tables.Micros;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Answers questions of the recorded history, from the Iceberg tables the streams-app writes: the
 * state of a namespace (or of a whole cluster) at an instant, the changes of one object, the gaps
 * and how far history reaches. Shared by the restorer and the command line.
 *
 * <p>State of namespace N at T = the latest checkpoint of N at or before T, plus the changes of N's
 * partition recorded after that checkpoint and observed at or before T, newest per object, deleted
 * objects dropped. T must be covered (at or below the committed watermark of N's partition), not
 * before the first recorded change, and outside every recorded watcher gap; otherwise a {@link
 * HistoryException} says why.
 */
public final class HistoryReader implements AutoCloseable {
  /**
   * How far before a checkpoint's time a change recorded after it may have been observed (the
   * watcher's clock stepping back): the changes scan starts this much earlier, for file pruning
   * only; which changes count is decided by their offsets.
   */
  static final Duration CLOCK_SLACK = Duration.ofMinutes(10);

  private final Catalog catalog;
  private final boolean ownsCatalog;
  private final Table changes;
  private final Table checkpoints;
  private final Table gaps;
  private final Clock clock;
  private final ClusterExtents extents = new ClusterExtents();

  /** A reader over {@code catalog}'s tables; the caller keeps closing the catalog. */
  public HistoryReader(Catalog catalog) {
    this(catalog, false, Clock.systemUTC(), "this catalog");
  }

  HistoryReader(Catalog catalog, boolean ownsCatalog, Clock clock) {
    this(catalog, ownsCatalog, clock, "this catalog");
  }

  /** {@code where} names the catalog in a refusal ("this catalog", "the catalog at URI"). */
  private HistoryReader(Catalog catalog, boolean ownsCatalog, Clock clock, String where) {
    this.catalog = catalog;
    this.ownsCatalog = ownsCatalog;
    this.clock = clock;
    try {
      this.changes = catalog.loadTable(ChangesTable.ID);
      this.checkpoints = catalog.loadTable(CheckpointsTable.ID);
      this.gaps = catalog.loadTable(GapsTable.ID);
    } catch (NoSuchTableException e) {
      throw new HistoryException(
          Reason.UNREADABLE,
          "no history in "
              + where
              + " ("
              + e.getMessage()
              + "): the streams-app creates the tables when it first starts; check the catalog"
              + " settings (catalog.uri, catalog.warehouse) or --data-dir",
          e);
    }
  }

  /** Opens the catalog of {@code config}; closing the reader closes it. */
  public static HistoryReader open(CatalogConfig config) {
    Catalog catalog;
    try {
      catalog = Catalogs.open(config);
    } catch (RuntimeException e) {
      throw new HistoryException(
          Reason.UNREADABLE,
          "cannot open the catalog at " + config.uri() + ": " + e.getMessage(),
          e);
    }
    try {
      return new HistoryReader(catalog, true, Clock.systemUTC(), "the catalog at " + config.uri());
    } catch (HistoryException e) {
      closeQuietly(catalog);
      throw e;
    }
  }

  private static void closeQuietly(Catalog catalog) {
    if (catalog instanceof java.io.Closeable closeable) {
      try {
        closeable.close();
      } catch (java.io.IOException | RuntimeException ignored) {
        // the refusal is what the caller needs
      }
    }
  }

  private void refresh() {
    try {
      changes.refresh();
      checkpoints.refresh();
      gaps.refresh();
    } catch (RuntimeException e) {
      throw new HistoryException(Reason.UNREADABLE, "cannot read the history: " + e, e);
    }
  }

  /** Every cluster with recorded changes. */
  public Set<String> clusters() {
    refresh();
    return extents.of(changes).clusters();
  }

  /** How far the history of {@code cluster} (null: the only one) reaches. */
  public Coverage coverage(String cluster) {
    refresh();
    return coverageOf(resolveCluster(cluster));
  }

  /** {@link #coverage} of a known cluster, on the tables as last refreshed. */
  private Coverage coverageOf(String name) {
    Instant earliest = extents.of(changes).earliestOf(name);
    Map<Integer, Instant> watermarks = CommitLog.watermarks(changes).getOrDefault(name, Map.of());
    String partitions = changes.properties().get(CommitLog.SOURCE_PARTITIONS);
    return new Coverage(
        name, earliest, watermarks, partitions == null ? 0 : Integer.parseInt(partitions));
  }

  private String resolveCluster(String cluster) {
    Set<String> known = extents.of(changes).clusters();
    if (cluster != null) {
      if (!known.contains(cluster)) {
        throw new HistoryException(
            Reason.UNKNOWN_CLUSTER,
            "no history of cluster '"
                + cluster
                + "'"
                + (known.isEmpty()
                    ? ": nothing is recorded yet"
                    : "; recorded clusters: " + known));
      }
      return cluster;
    }
    if (known.size() == 1) {
      return known.iterator().next();
    }
    throw new HistoryException(
        Reason.UNKNOWN_CLUSTER,
        known.isEmpty()
            ? "nothing is recorded yet: is the watcher running, and the streams-app?"
            : "the history holds several clusters " + known + ": name one (--cluster)");
  }

  /** Recorded gaps of {@code cluster} that overlap [{@code from}, {@code to}]. */
  public List<Gap> gaps(String cluster, Instant from, Instant to) {
    refresh();
    String name = resolveCluster(cluster);
    return readGaps(name, from, to);
  }

  private List<Gap> readGaps(String cluster, Instant from, Instant to) {
    Map<String, Gap> distinct = new HashMap<>();
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(gaps)
            .where(
                Expressions.and(
                    Expressions.equal(GapsTable.CLUSTER, cluster),
                    Expressions.lessThanOrEqual(GapsTable.GAP_FROM, Micros.of(to)),
                    Expressions.greaterThanOrEqual(GapsTable.GAP_TO, Micros.of(from))))
            .build()) {
      for (Record row : rows) {
        Gap gap = TableRows.gap(row);
        // the watcher sends a gap to every partition: one row per partition, one gap
        distinct.putIfAbsent(gap.resource() + "|" + gap.from() + "|" + gap.to(), gap);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Gap> out = new ArrayList<>(distinct.values());
    out.sort(Comparator.comparing(Gap::from));
    return out;
  }

  /**
   * The state the query asks for.
   *
   * @throws HistoryException when the instant is not covered, before the history, inside a gap, or
   *     the namespace or cluster is unknown
   */
  public State stateAt(StateQuery query) {
    refresh();
    Instant at = query.at();
    Instant now = clock.instant();
    String cluster = resolveCluster(query.cluster());
    if (at.isAfter(now)) {
      throw new HistoryException(
          Reason.IN_FUTURE, at + " is in the future (now is " + now + "): choose an earlier time");
    }
    Coverage coverage = coverageOf(cluster);
    if (coverage.earliest() == null || at.isBefore(coverage.earliest())) {
      throw new HistoryException(
          Reason.BEFORE_HISTORY,
          at
              + " is before the history of cluster "
              + cluster
              + ", which starts at "
              + coverage.earliest()
              + ": choose a later time");
    }
    Instant through = coverage.completeThrough(query.namespace()).orElse(null);
    if (through == null || at.isAfter(through)) {
      throw new HistoryException(
          Reason.NOT_YET_COVERED,
          "history of "
              + scope(cluster, query.namespace())
              + " is complete through "
              + (through == null ? "no instant yet (no watermark committed)" : through)
              + "; "
              + at
              + " is later: wait for the pipeline to catch up, or choose an earlier time");
    }
    if (!query.allowGaps()) {
      for (Gap gap : readGaps(cluster, at, at)) {
        if (gap.covers(at) && relevant(gap, query.namespace())) {
          throw new HistoryException(
              Reason.IN_GAP,
              at
                  + " lies in a gap of the recorded history ("
                  + gap.from()
                  + " to "
                  + gap.to()
                  + ", "
                  + gap.resource()
                  + ": "
                  + gap.reason()
                  + "): history there is not exact; choose "
                  + gap.from()
                  + " or "
                  + gap.to()
                  + ", or allow gaps explicitly");
        }
      }
    }
    StateBuilder built = build(cluster, query.namespace(), at);
    if (query.namespace().isPresent()
        && built.objects.isEmpty()
        && !everSeen(cluster, query.namespace().get())) {
      throw new HistoryException(
          Reason.UNKNOWN_NAMESPACE,
          "namespace '"
              + query.namespace().get()
              + "' never appears in the history of cluster "
              + cluster
              + ": check its name");
    }
    List<StoredObject> selected = new ArrayList<>();
    for (StoredObject object : built.objects.values()) {
      if (query.selection().matches(object)) {
        selected.add(object);
      }
    }
    selected.sort(
        Comparator.comparing((StoredObject o) -> o.id().namespace())
            .thenComparing(o -> o.id().apiGroup())
            .thenComparing(o -> o.id().kind())
            .thenComparing(o -> o.id().name()));
    return new State(cluster, at, through, selected, built.checkpointsUsed, built.changesReplayed);
  }

  private static String scope(String cluster, Optional<String> namespace) {
    return namespace
        .map(ns -> "namespace '" + ns + "' of cluster " + cluster)
        .orElse("cluster " + cluster);
  }

  private static boolean relevant(Gap gap, Optional<String> namespace) {
    if (gap.allResources() || namespace.isEmpty()) {
      return true;
    }
    int space = gap.resource().indexOf(' ');
    if (space < 0) {
      return true; // a whole resource type
    }
    String object = gap.resource().substring(space + 1);
    int slash = object.indexOf('/');
    String gapNamespace = slash < 0 ? "" : object.substring(0, slash);
    return gapNamespace.equals(namespace.get());
  }

  /** The objects of the state, before selection. */
  private static final class StateBuilder {
    final Map<ObjectId, StoredObject> objects = new HashMap<>();
    int checkpointsUsed;
    long changesReplayed;
  }

  private record Position(int partition, long throughOffset) {}

  private StateBuilder build(String cluster, Optional<String> namespace, Instant at) {
    StateBuilder state = new StateBuilder();
    Map<String, Instant> latest = CheckpointLocator.latest(checkpoints, cluster, namespace, at);
    Map<String, Position> positions = new HashMap<>();
    for (Map.Entry<String, Instant> checkpoint : latest.entrySet()) {
      readCheckpoint(cluster, checkpoint.getKey(), checkpoint.getValue(), state, positions);
    }
    state.checkpointsUsed = latest.size();
    // changes after each namespace's checkpoint; a namespace without one replays from the start
    String only = namespace.orElse(null);
    Position position = only == null ? null : positions.get(only);
    NewestChanges.Scope scope =
        new NewestChanges.Scope(
            cluster,
            only,
            position == null ? null : Micros.of(latest.get(only).minus(CLOCK_SLACK)),
            Micros.of(at));
    Expression pruning =
        position == null
            ? Expressions.alwaysTrue()
            : Expressions.and(
                Expressions.equal(ChangesTable.KAFKA_PARTITION, position.partition()),
                Expressions.greaterThan(ChangesTable.KAFKA_OFFSET, position.throughOffset()));
    NewestChanges.Result replayed =
        NewestChanges.read(
            changes,
            scope,
            pruning,
            (ns, partition, offset) -> {
              Position in = positions.get(ns);
              // in the namespace's checkpoint already?
              return in == null || (partition == in.partition() && offset > in.throughOffset());
            });
    state.changesReplayed = replayed.counted();
    Map<ObjectId, Change> newest = replayed.newest();
    for (Change change : newest.values()) {
      if (change.deleted()) {
        state.objects.remove(change.object().id());
      } else {
        state.objects.put(change.object().id(), change.object());
      }
    }
    return state;
  }

  private void readCheckpoint(
      String cluster,
      String namespace,
      Instant time,
      StateBuilder state,
      Map<String, Position> positions) {
    int rows = 0;
    Integer expected = null;
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(checkpoints)
            .where(
                Expressions.and(
                    Expressions.equal(CheckpointsTable.CLUSTER, cluster),
                    Expressions.equal(CheckpointsTable.NAMESPACE, namespace),
                    Expressions.equal(CheckpointsTable.CHECKPOINT_TIME, Micros.of(time))))
            .build()) {
      for (Record record : records) {
        StoredObject object = TableRows.checkpointObject(record);
        state.objects.put(object.id(), object);
        positions.putIfAbsent(
            namespace,
            new Position(
                (Integer) record.getField(CheckpointsTable.KAFKA_PARTITION),
                (Long) record.getField(CheckpointsTable.THROUGH_OFFSET)));
        expected = (Integer) record.getField(CheckpointsTable.OBJECT_COUNT);
        rows++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (expected != null && rows != expected) {
      throw new HistoryException(
          Reason.UNREADABLE,
          "checkpoint of "
              + namespace
              + " at "
              + time
              + " holds "
              + rows
              + " objects but records "
              + expected
              + ": the checkpoints table is damaged");
    }
  }

  private boolean everSeen(String cluster, String namespace) {
    Expression filter =
        Expressions.and(
            Expressions.equal(ChangesTable.CLUSTER, cluster),
            Expressions.equal(ChangesTable.NAMESPACE, namespace));
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(changes).where(filter).select(ChangesTable.NAME).build()) {
      return rows.iterator().hasNext();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every recorded change of one object observed in [{@code from}, {@code to}], oldest first
   * (either bound may be null).
   */
  public List<Change> history(ObjectId id, Instant from, Instant to) {
    refresh();
    Expression filter =
        Expressions.and(
            Expressions.equal(ChangesTable.CLUSTER, id.cluster()),
            Expressions.equal(ChangesTable.NAMESPACE, id.namespace()),
            Expressions.equal(ChangesTable.KIND, id.kind()),
            Expressions.equal(ChangesTable.NAME, id.name()),
            Expressions.equal(ChangesTable.API_GROUP, id.apiGroup()));
    if (from != null) {
      filter =
          Expressions.and(
              filter, Expressions.greaterThanOrEqual(ChangesTable.OBSERVED_AT, Micros.of(from)));
    }
    if (to != null) {
      filter =
          Expressions.and(
              filter, Expressions.lessThanOrEqual(ChangesTable.OBSERVED_AT, Micros.of(to)));
    }
    List<Change> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(changes).where(filter).build()) {
      for (Record row : rows) {
        out.add(TableRows.change(row));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.comparingLong((Change c) -> c.object().kafkaOffset()));
    return out;
  }

  /**
   * Every recorded change of the selected objects of one namespace ({@code ""}: the cluster-scoped
   * objects) observed in [{@code from}, {@code to}] (either bound may be null), in the order they
   * were recorded: a namespace is one partition of {@code hindsight.changes}, so its offsets order
   * its history exactly, whatever the watcher's clock did.
   *
   * @throws HistoryException when the cluster is unknown or the namespace never appears in it
   */
  public List<Change> changes(
      String cluster, String namespace, Selection selection, Instant from, Instant to) {
    refresh();
    String name = resolveCluster(cluster);
    Selection select = selection == null ? Selection.EVERYTHING : selection;
    Expression filter =
        Expressions.and(
            Expressions.equal(ChangesTable.CLUSTER, name),
            Expressions.equal(ChangesTable.NAMESPACE, namespace));
    if (!select.names().isEmpty()) {
      filter = Expressions.and(filter, Expressions.in(ChangesTable.NAME, select.names().toArray()));
    }
    if (from != null) {
      filter =
          Expressions.and(
              filter, Expressions.greaterThanOrEqual(ChangesTable.OBSERVED_AT, Micros.of(from)));
    }
    if (to != null) {
      filter =
          Expressions.and(
              filter, Expressions.lessThanOrEqual(ChangesTable.OBSERVED_AT, Micros.of(to)));
    }
    List<Change> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(changes).where(filter).build()) {
      for (Record row : rows) {
        Change change = TableRows.change(row);
        if (select.matches(change.object())) {
          out.add(change);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (out.isEmpty() && !everSeen(name, namespace)) {
      throw new HistoryException(
          Reason.UNKNOWN_NAMESPACE,
          "namespace '"
              + namespace
              + "' never appears in the history of cluster "
              + name
              + ": check its name");
    }
    out.sort(
        Comparator.comparingInt((Change c) -> c.object().kafkaPartition())
            .thenComparingLong(c -> c.object().kafkaOffset()));
    return out;
  }

  @Override
  public void close() {
    if (ownsCatalog && catalog instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // nothing to do
      }
    }
  }
}
