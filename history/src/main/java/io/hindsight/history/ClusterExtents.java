package io.hindsight.history;

import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.Micros;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The clusters of the {@code changes} table and the first observed instant of each, from file
 * statistics, kept for the snapshot they were read at. A later snapshot reached from it through
 * appends only adds the bounds of the files those appends added (a few manifests, not every one);
 * anything else — a compaction, an expiry that dropped the known snapshot, a rollback — plans every
 * file again. Every call of the reader needs these; planning every file twice per call was most of
 * a warm {@code stateAt}'s planning on a long history.
 */
final class ClusterExtents {
  /** Appends folded in at most; a reader that fell further behind plans every file again. */
  private static final int MAX_APPENDS = 1000;

  private static final int OBSERVED_AT_FIELD =
      ChangesTable.SCHEMA.findField(ChangesTable.OBSERVED_AT).fieldId();

  /** The clusters with recorded changes, sorted, and the earliest instant of each that has one. */
  record Extents(SortedSet<String> clusters, Map<String, Instant> earliest) {
    static final Extents NONE = new Extents(Collections.emptySortedSet(), Map.of());

    /** The first observed instant of {@code cluster}; null when no file of it has statistics. */
    Instant earliestOf(String cluster) {
      return earliest.get(cluster);
    }
  }

  private long snapshotId = -1;
  private Extents extents = Extents.NONE;
  private int fullPlans;

  /** The extents as of the table's current snapshot (the caller refreshes the table). */
  synchronized Extents of(Table changes) {
    Snapshot current = changes.currentSnapshot();
    if (current == null) {
      snapshotId = -1;
      extents = Extents.NONE;
      return extents;
    }
    if (current.snapshotId() == snapshotId) {
      return extents;
    }
    List<Snapshot> appends = appendsSinceKnown(changes, current);
    TreeSet<String> clusters = new TreeSet<>();
    Map<String, Instant> earliest = new HashMap<>();
    if (appends == null) {
      try (CloseableIterable<FileScanTask> tasks =
          changes.newScan().includeColumnStats().planFiles()) {
        for (FileScanTask task : tasks) {
          fold(clusters, earliest, task.file());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      fullPlans++;
    } else {
      clusters.addAll(extents.clusters());
      earliest.putAll(extents.earliest());
      for (Snapshot append : appends) {
        foldManifestsOf(append, changes, clusters, earliest);
      }
    }
    snapshotId = current.snapshotId();
    extents =
        new Extents(
            Collections.unmodifiableSortedSet(clusters), Collections.unmodifiableMap(earliest));
    return extents;
  }

  /** How many times every file was planned (for tests). */
  synchronized int fullPlans() {
    return fullPlans;
  }

  /** The snapshots after the known one, when all of them are appends; otherwise null. */
  private List<Snapshot> appendsSinceKnown(Table changes, Snapshot current) {
    if (snapshotId < 0) {
      return null;
    }
    List<Snapshot> appends = new ArrayList<>();
    Snapshot s = current;
    while (s.snapshotId() != snapshotId) {
      if (!DataOperations.APPEND.equals(s.operation()) || appends.size() >= MAX_APPENDS) {
        return null;
      }
      appends.add(s);
      Long parent = s.parentId();
      s = parent == null ? null : changes.snapshot(parent);
      if (s == null) {
        return null; // the known snapshot is not an ancestor (expired, or a rollback)
      }
    }
    return appends;
  }

  /**
   * Folds in the files of the manifests {@code append} wrote. Such a manifest may also list files
   * of earlier snapshots (a merging append rewrites manifests); folding a file twice changes
   * nothing. Read with the table's specs (reading them from each manifest is deprecated, and
   * warns).
   */
  private static void foldManifestsOf(
      Snapshot append, Table changes, Set<String> clusters, Map<String, Instant> earliest) {
    for (ManifestFile manifest : append.dataManifests(changes.io())) {
      if (manifest.snapshotId() == null || manifest.snapshotId() != append.snapshotId()) {
        continue;
      }
      try (ManifestReader<DataFile> files =
          ManifestFiles.read(manifest, changes.io(), changes.specs())) {
        for (DataFile file : files) {
          fold(clusters, earliest, file);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static void fold(Set<String> clusters, Map<String, Instant> earliest, DataFile file) {
    String cluster = file.partition().get(0, String.class);
    clusters.add(cluster);
    Long lower = Micros.bound(file.lowerBounds(), OBSERVED_AT_FIELD);
    if (lower != null) {
      earliest.merge(cluster, Micros.toInstant(lower), (a, b) -> a.isBefore(b) ? a : b);
    }
  }
}
