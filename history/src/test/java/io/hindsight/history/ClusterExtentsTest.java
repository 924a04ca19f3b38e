package io.hindsight.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.HistoryTables;
import io.hindsight.history.tables.Micros;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clusters and their first instants follow the table: appends are folded in without planning
 * every file, anything else plans every file, and either way the answer is what planning every file
 * of that snapshot gives.
 */
class ClusterExtentsTest {
  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
  private static final AtomicInteger FILES = new AtomicInteger();

  @TempDir java.nio.file.Path dir;
  private Catalog catalog;
  private Table changes;

  @BeforeEach
  void tables() {
    catalog = LocalCatalog.open(dir);
    changes = HistoryTables.ensure(catalog).get(ChangesTable.ID);
  }

  @AfterEach
  void close() throws Exception {
    LocalCatalog.close(catalog);
  }

  @Test
  void anEmptyTableHasNoClusters() {
    ClusterExtents.Extents extents = new ClusterExtents().of(changes);
    assertThat(extents.clusters()).isEmpty();
    assertThat(extents.earliestOf("prod")).isNull();
  }

  @Test
  void appendsAreFoldedInWithoutPlanningEveryFile() {
    ClusterExtents extents = new ClusterExtents();
    changes.newAppend().appendFile(file("prod", T0.plusSeconds(600))).commit();
    assertThat(extents.of(changes).earliestOf("prod")).isEqualTo(T0.plusSeconds(600));
    assertThat(extents.fullPlans()).isEqualTo(1);

    changes.newAppend().appendFile(file("staging", T0.plusSeconds(60))).commit();
    changes
        .newFastAppend()
        .appendFile(file("prod", T0))
        .appendFile(file("prod", T0.plusSeconds(7200)))
        .commit();
    ClusterExtents.Extents folded = extents.of(changes);
    assertThat(extents.fullPlans()).isEqualTo(1);
    assertThat(folded.clusters()).containsExactly("prod", "staging");
    assertThat(folded.earliestOf("prod")).isEqualTo(T0);
    assertThat(folded.earliestOf("staging")).isEqualTo(T0.plusSeconds(60));
    assertThat(folded).isEqualTo(new ClusterExtents().of(changes));

    assertThat(extents.of(changes)).isSameAs(folded); // same snapshot: nothing read
  }

  @Test
  void aRewriteOrARollbackPlansEveryFileAgain() {
    ClusterExtents extents = new ClusterExtents();
    DataFile first = file("prod", T0);
    changes.newAppend().appendFile(first).commit();
    long afterFirst = changes.currentSnapshot().snapshotId();
    changes.newAppend().appendFile(file("staging", T0.plusSeconds(30))).commit();
    assertThat(extents.of(changes).earliestOf("prod")).isEqualTo(T0);

    // a compaction replaces the first file by one that starts later (its early rows expired)
    changes
        .newRewrite()
        .rewriteFiles(java.util.Set.of(first), java.util.Set.of(file("prod", T0.plusSeconds(3600))))
        .commit();
    ClusterExtents.Extents rewritten = extents.of(changes);
    assertThat(extents.fullPlans()).isEqualTo(2);
    assertThat(rewritten.earliestOf("prod")).isEqualTo(T0.plusSeconds(3600));
    assertThat(rewritten).isEqualTo(new ClusterExtents().of(changes));

    changes.manageSnapshots().rollbackTo(afterFirst).commit();
    ClusterExtents.Extents rolledBack = extents.of(changes);
    assertThat(extents.fullPlans()).isEqualTo(3);
    assertThat(rolledBack.clusters()).containsExactly("prod");
    assertThat(rolledBack.earliestOf("prod")).isEqualTo(T0);
  }

  @Test
  void aFileWithoutStatisticsNamesItsClusterButNoInstant() {
    changes.newAppend().appendFile(file("prod", null)).commit();
    ClusterExtents.Extents extents = new ClusterExtents().of(changes);
    assertThat(extents.clusters()).containsExactly("prod");
    assertThat(extents.earliestOf("prod")).isNull();
  }

  /** A data file of {@code cluster} whose rows start at {@code lower} (null: no statistics). */
  private DataFile file(String cluster, Instant lower) {
    PartitionData partition = new PartitionData(changes.spec().partitionType());
    partition.set(0, cluster);
    partition.set(1, (int) (Instant.parse("2026-11-30T00:00:00Z").getEpochSecond() / 86400));
    int field = ChangesTable.SCHEMA.findField(ChangesTable.OBSERVED_AT).fieldId();
    Metrics metrics =
        lower == null
            ? new Metrics(1L, null, null, null, null)
            : new Metrics(
                1L,
                null,
                null,
                null,
                null,
                Map.of(
                    field,
                    Conversions.toByteBuffer(Types.TimestampType.withZone(), Micros.of(lower))),
                Map.of(
                    field,
                    Conversions.toByteBuffer(
                        Types.TimestampType.withZone(), Micros.of(lower.plusSeconds(60)))));
    return DataFiles.builder(changes.spec())
        .withPath(dir.resolve("data-" + FILES.incrementAndGet() + ".parquet").toString())
        .withFileSizeInBytes(100)
        .withFormat(org.apache.iceberg.FileFormat.PARQUET)
        .withPartition(partition)
        .withMetrics(metrics)
        .build();
  }
}
