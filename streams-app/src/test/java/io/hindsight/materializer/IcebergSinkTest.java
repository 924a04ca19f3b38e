package io.hindsight.materializer;

import static io.hindsight.schemas.avro.EventType.ADDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.CommitLog;
import io.hindsight.materializer.RowSink.TableKind;
import io.hindsight.serde.SchemaRegistryClient;
import io.hindsight.testing.registry.FakeRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink against a real catalog (JDBC on SQLite): commits, positions, fencing, concurrency. */
class IcebergSinkTest {
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

  private IcebergSink sink(String writer, Map<TableKind, Table> on) {
    return new IcebergSink(
        writer,
        1,
        on,
        64L * 1024 * 1024,
        Duration.ofSeconds(30),
        Duration.ofSeconds(30),
        Clock.fixed(T0, ZoneOffset.UTC),
        new MaterializerMetrics());
  }

  private Record change(String name, int partition, long offset) {
    return Rows.change(
        records.envelope(ADDED, "ConfigMap", "shop", name, "u-" + name, "1", "h", T0),
        partition,
        offset);
  }

  private List<String> rowsOf(Table table) throws Exception {
    table.refresh();
    List<String> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      for (Record r : rows) {
        out.add(
            r.getField(ChangesTable.NAME)
                + "@"
                + r.getField(ChangesTable.KAFKA_PARTITION)
                + "/"
                + r.getField(ChangesTable.KAFKA_OFFSET));
      }
    }
    out.sort(null);
    return out;
  }

  @Test
  void theChangesTableIsCreatedWithSmallRowGroupsAndNoStatisticsOfObjects() {
    Table changes = catalog.reload().get(TableKind.CHANGES);
    assertThat(changes.properties())
        .containsEntry(
            org.apache.iceberg.TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES,
            String.valueOf(io.hindsight.history.tables.ChangesTable.ROW_GROUP_BYTES))
        .containsEntry(
            org.apache.iceberg.TableProperties.METRICS_MODE_COLUMN_CONF_PREFIX
                + io.hindsight.history.tables.ChangesTable.OBJECT,
            "none");
  }

  @Test
  void aCommitAppendsTheRowsAndRecordsOffsetsAndWatermarksInTheSnapshot() throws Exception {
    IcebergSink sink = sink("w1", tables);
    sink.register(3);
    sink.add(TableKind.CHANGES, 3, change("a", 3, 10));
    sink.add(TableKind.CHANGES, 3, change("b", 3, 11));
    sink.watermark("prod", 3, T0.plusSeconds(5));
    sink.commit(Map.of(3, 12L));

    Table changes = catalog.reload().get(TableKind.CHANGES);
    assertThat(rowsOf(changes)).containsExactly("a@3/10", "b@3/11");
    assertThat(CommitLog.committedOffsets(changes)).containsExactly(Map.entry(3, 12L));
    assertThat(CommitLog.watermarks(changes).get("prod")).containsEntry(3, T0.plusSeconds(5));
    assertThat(changes.currentSnapshot().summary()).containsEntry(CommitLog.WRITER, "w1");
  }

  @Test
  void aRestartedWriterSkipsWhatTheTableHoldsAndNeverMovesThePositionBack() throws Exception {
    IcebergSink first = sink("w1", tables);
    first.register(0);
    first.add(TableKind.CHANGES, 0, change("a", 0, 0));
    first.add(TableKind.CHANGES, 0, change("b", 0, 1));
    first.commit(Map.of(0, 2L));

    // Kafka's commit was lost: the next writer replays from offset 0
    IcebergSink second = sink("w2", catalog.reload());
    second.register(0);
    assertThat(second.writes(TableKind.CHANGES, 0, 0)).isFalse();
    assertThat(second.writes(TableKind.CHANGES, 0, 1)).isFalse();
    assertThat(second.writes(TableKind.CHANGES, 0, 2)).isTrue();
    assertThat(second.writes(TableKind.GAPS, 0, 0)).as("another table, its own position").isTrue();
    second.watermark("prod", 0, T0);
    second.commit(Map.of(0, 1L)); // halfway through the replay: only a watermark to commit

    assertThat(CommitLog.committedOffsets(catalog.reload().get(TableKind.CHANGES)))
        .containsEntry(0, 2L);
    assertThat(rowsOf(catalog.reload().get(TableKind.CHANGES))).containsExactly("a@0/0", "b@0/1");
  }

  @Test
  void aWriterWhosePartitionAnotherWriterCommittedIsFencedAndCommitsNothing() throws Exception {
    IcebergSink zombie = sink("zombie", tables);
    zombie.register(5);
    zombie.add(TableKind.CHANGES, 5, change("late", 5, 7));

    IcebergSink successor = sink("successor", catalog.reload());
    successor.register(5);
    successor.add(TableKind.CHANGES, 5, change("new", 5, 7));
    successor.commit(Map.of(5, 8L));

    assertThatThrownBy(() -> zombie.commit(Map.of(5, 8L)))
        .isInstanceOf(ProducerFencedException.class)
        .hasMessageContaining("successor committed partition 5");
    assertThat(rowsOf(catalog.reload().get(TableKind.CHANGES))).containsExactly("new@5/7");
  }

  @Test
  void anAbortedRoundLeavesNoRowsAndNoFiles() throws Exception {
    IcebergSink sink = sink("w1", tables);
    sink.register(0);
    sink.add(TableKind.CHANGES, 0, change("a", 0, 0));
    sink.abort();
    sink.commit(Map.of(0, 1L));

    assertThat(rowsOf(catalog.reload().get(TableKind.CHANGES))).isEmpty();
    try (var files = java.nio.file.Files.walk(dir.resolve("warehouse"))) {
      assertThat(files.filter(p -> p.toString().endsWith(".parquet"))).isEmpty();
    }
  }

  @Test
  void aTaskStartedAgainOnItsPartitionDropsWhatItsEarlierTaskLeftPending() throws Exception {
    IcebergSink sink = sink("w1", tables);
    sink.register(0);
    sink.register(1);
    sink.add(TableKind.CHANGES, 0, change("a", 0, 0));
    sink.add(TableKind.CHANGES, 1, change("x", 1, 0));
    // the task of partition 0 is closed dirty and revived without an abort of the transaction:
    // it processes from Kafka's committed offset again
    sink.register(0);
    sink.add(TableKind.CHANGES, 0, change("a", 0, 0));
    sink.add(TableKind.CHANGES, 0, change("b", 0, 1));
    sink.commit(Map.of(0, 2L, 1, 1L));

    assertThat(rowsOf(catalog.reload().get(TableKind.CHANGES)))
        .containsExactly("a@0/0", "b@0/1", "x@1/0");
  }

  @Test
  void rowsOfAPartitionWhoseOffsetsTheTransactionDoesNotCommitWaitForTheirOwn() throws Exception {
    IcebergSink sink = sink("w1", tables);
    sink.register(0);
    sink.register(1);
    sink.add(TableKind.CHANGES, 0, change("a", 0, 0));
    sink.add(TableKind.CHANGES, 1, change("x", 1, 0));
    sink.commit(Map.of(0, 1L)); // partition 1's task is not part of this commit

    Table changes = catalog.reload().get(TableKind.CHANGES);
    assertThat(rowsOf(changes)).containsExactly("a@0/0");
    assertThat(CommitLog.committedOffsets(changes)).containsExactly(Map.entry(0, 1L));

    sink.commit(Map.of(0, 1L, 1, 1L));
    assertThat(rowsOf(catalog.reload().get(TableKind.CHANGES))).containsExactly("a@0/0", "x@1/0");

    // a partition given up with rows pending: they are dropped, its next owner produces them
    sink.add(TableKind.CHANGES, 1, change("y", 1, 1));
    sink.unregister(1);
    sink.commit(Map.of(0, 1L));
    sink.commit(Map.of(0, 1L, 1, 2L));
    assertThat(rowsOf(catalog.reload().get(TableKind.CHANGES))).containsExactly("a@0/0", "x@1/0");
  }

  @Test
  void writersOfDifferentPartitionsCommitConcurrentlyWithoutLosingARow() throws Exception {
    int writers = 4;
    int rounds = 15;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int partition = w;
      Map<TableKind, Table> own = catalog.reload();
      done.add(
          CompletableFuture.runAsync(
              () -> {
                IcebergSink sink = sink("w" + partition, own);
                sink.register(partition);
                for (long r = 0; r < rounds; r++) {
                  sink.add(TableKind.CHANGES, partition, change("o" + r, partition, r));
                  sink.commit(Map.of(partition, r + 1));
                }
              },
              pool));
    }
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
    pool.shutdown();

    Table changes = catalog.reload().get(TableKind.CHANGES);
    assertThat(rowsOf(changes)).hasSize(writers * rounds).doesNotHaveDuplicates();
    assertThat(CommitLog.committedOffsets(changes))
        .containsExactlyInAnyOrderEntriesOf(Map.of(0, 15L, 1, 15L, 2, 15L, 3, 15L));
  }
}
