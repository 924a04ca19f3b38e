package io.hindsight.materializer;

import static io.hindsight.schemas.avro.EventType.ADDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.CommitLog;
import io.hindsight.materializer.RowSink.TableKind;
import io.hindsight.serde.SchemaRegistryClient;
import io.hindsight.testing.registry.FakeRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction and snapshot expiry on a real catalog: no row lost, positions kept, stats private. */
class TableMaintenanceTest {
  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

  @TempDir Path dir;
  private TestCatalog catalog;
  private Map<TableKind, Table> tables;
  private FakeRegistry registry;
  private ChangeRecords records;

  @BeforeEach
  void open() throws Exception {
    catalog = new TestCatalog(dir);
    tables = catalog.tables();
    registry = new FakeRegistry();
    records = new ChangeRecords("prod", new SchemaRegistryClient(registry.url()));
  }

  @AfterEach
  void close() throws Exception {
    catalog.close();
    registry.close();
  }

  /** Twelve commits of ten rows each, from namespaces in reverse order, as streaming writes do. */
  private void writeTwelveSmallCommits() {
    IcebergSink sink =
        new IcebergSink(
            "w1",
            1,
            tables,
            64L << 20,
            Duration.ofSeconds(30),
            Duration.ZERO,
            Clock.fixed(T0, ZoneOffset.UTC),
            new MaterializerMetrics());
    sink.register(0);
    long offset = 0;
    for (int round = 0; round < 12; round++) {
      for (int i = 0; i < 10; i++) {
        String ns = "ns-" + (9 - i);
        sink.add(
            TableKind.CHANGES,
            0,
            Rows.change(
                records.envelope(
                    ADDED,
                    "ConfigMap",
                    ns,
                    "cm-" + round,
                    "u" + offset,
                    "1",
                    "h",
                    T0.plusSeconds(offset)),
                0,
                offset));
        offset++;
      }
      sink.watermark("prod", 0, T0.plusSeconds(offset));
      sink.commit(Map.of(0, offset));
    }
  }

  private List<String> rows(Table table) throws Exception {
    table.refresh();
    List<String> out = new ArrayList<>();
    try (CloseableIterable<Record> all = IcebergGenerics.read(table).build()) {
      for (Record r : all) {
        out.add(r.getField(ChangesTable.NAMESPACE) + "/" + r.getField(ChangesTable.KAFKA_OFFSET));
      }
    }
    out.sort(null);
    return out;
  }

  private static List<DataFile> files(Table table) throws Exception {
    table.refresh();
    List<DataFile> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().includeColumnStats().planFiles()) {
      tasks.forEach(t -> files.add(t.file()));
    }
    return files;
  }

  @Test
  void compactionMergesSmallFilesSortedByNamespaceAndKeepsEveryRow() throws Exception {
    writeTwelveSmallCommits();
    Table changes = tables.get(TableKind.CHANGES);
    List<String> before = rows(changes);
    assertThat(files(changes)).hasSize(12);

    TableMaintenance maintenance = new TableMaintenance(tables, 4, 64L << 20, Duration.ofDays(7));
    TableMaintenance.Result result = maintenance.runOnce(Instant.now());

    assertThat(result.filesCompacted()).isEqualTo(12);
    assertThat(files(changes)).hasSize(1);
    assertThat(rows(changes)).isEqualTo(before);
    List<String> namespaces = new ArrayList<>();
    try (CloseableIterable<Record> all = IcebergGenerics.read(changes).build()) {
      all.forEach(r -> namespaces.add((String) r.getField(ChangesTable.NAMESPACE)));
    }
    assertThat(namespaces).as("rows in the file follow the sort order").isSorted();
  }

  @Test
  void expiryCarriesPositionsAndWatermarksForwardBeforeDroppingOldSnapshots() throws Exception {
    writeTwelveSmallCommits();
    Table changes = tables.get(TableKind.CHANGES);
    Map<Integer, Long> positions = CommitLog.committedOffsets(changes);
    var watermarks = CommitLog.watermarks(changes);
    TableMaintenance maintenance = new TableMaintenance(tables, 4, 64L << 20, Duration.ofDays(7));

    int expired = maintenance.expire(changes, Instant.now().plusSeconds(60));

    changes.refresh();
    assertThat(expired).isGreaterThanOrEqualTo(12);
    assertThat(changes.snapshots()).hasSizeLessThanOrEqualTo(1);
    assertThat(CommitLog.committedOffsets(changes)).isEqualTo(positions);
    assertThat(CommitLog.watermarks(changes)).isEqualTo(watermarks);
    assertThat(rows(changes)).hasSize(120);
  }

  @Test
  void theObjectColumnKeepsNoStatisticsInTheManifests() throws Exception {
    writeTwelveSmallCommits();
    int objectField = ChangesTable.SCHEMA.findField(ChangesTable.OBJECT).fieldId();
    int nameField = ChangesTable.SCHEMA.findField(ChangesTable.NAME).fieldId();
    for (DataFile file : files(tables.get(TableKind.CHANGES))) {
      Map<Integer, ByteBuffer> lower = file.lowerBounds();
      assertThat(lower).as("other columns have bounds").containsKey(nameField);
      assertThat(lower).doesNotContainKey(objectField);
      assertThat(file.upperBounds()).doesNotContainKey(objectField);
    }
  }
}
