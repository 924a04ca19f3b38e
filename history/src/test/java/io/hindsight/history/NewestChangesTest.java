package io.hindsight.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.HistoryTables;
import io.hindsight.history.tables.Micros;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-pass read gives what a plain replay of every column gives: for random filters over a
 * table of several files (two days, several appends) with many row groups each, the newest change
 * per object with its JSON, deletes included, and the same count.
 */
class NewestChangesTest {
  private static final Instant T0 = Instant.parse("2026-11-30T20:00:00Z");
  private static final String[] NAMESPACES = {"shop", "db", ""};

  @TempDir java.nio.file.Path dir;
  private Catalog catalog;
  private Table changes;

  @BeforeEach
  void tables() {
    catalog = LocalCatalog.open(dir);
    changes = HistoryTables.ensure(catalog).get(ChangesTable.ID);
    // many row groups per file, so row-group pruning and page boundaries are exercised
    changes.updateProperties().set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, "65536").commit();
  }

  @AfterEach
  void close() throws Exception {
    LocalCatalog.close(catalog);
  }

  @Test
  void theNewestChangePerObjectIsWhatAFullReadGives() throws IOException {
    Random random = new Random(20261202);
    long[] offsets = new long[NAMESPACES.length];
    Instant at = T0;
    int rowGroups = 0;
    for (int append = 0; append < 4; append++) {
      GenericFileWriterFactory factory =
          new GenericFileWriterFactory.Builder(changes).dataFileFormat(FileFormat.PARQUET).build();
      OutputFileFactory files =
          OutputFileFactory.builderFor(changes, 1, append).format(FileFormat.PARQUET).build();
      FanoutDataWriter<Record> writer =
          new FanoutDataWriter<>(factory, files, changes.io(), 128L << 20);
      PartitionKey key = new PartitionKey(changes.spec(), changes.schema());
      InternalRecordWrapper wrapper = new InternalRecordWrapper(changes.schema().asStruct());
      for (int i = 0; i < 1000; i++) {
        at = at.plusSeconds(1 + random.nextInt(20));
        int ns = random.nextInt(NAMESPACES.length);
        Record row = row(random, NAMESPACES[ns], ns, offsets[ns]++, at);
        key.partition(wrapper.wrap(row));
        writer.write(row, changes.spec(), key);
      }
      writer.close();
      AppendFiles commit = changes.newAppend();
      for (DataFile file : writer.result().dataFiles()) {
        commit.appendFile(file);
        rowGroups = Math.max(rowGroups, file.splitOffsets().size());
      }
      commit.commit();
    }
    assertThat(rowGroups).as("row groups in the largest file").isGreaterThan(3);
    Instant end = at;
    int selecting = 0;
    for (int q = 0; q < 16; q++) {
      String namespace = q % 4 == 3 ? null : NAMESPACES[random.nextInt(NAMESPACES.length)];
      long span = end.toEpochMilli() - T0.toEpochMilli();
      Instant upTo = T0.plusMillis((long) (random.nextDouble() * span));
      Long from =
          random.nextBoolean()
              ? null
              : Micros.of(upTo.minusMillis((long) (random.nextDouble() * span / 2)));
      long threshold = random.nextInt(3) == 0 ? -1 : random.nextInt(600);
      NewestChanges.Scope scope = new NewestChanges.Scope("prod", namespace, from, Micros.of(upTo));
      Expression pruning =
          random.nextBoolean()
              ? Expressions.alwaysTrue()
              : Expressions.greaterThanOrEqual(ChangesTable.KAFKA_OFFSET, threshold);
      NewestChanges.Result result =
          NewestChanges.read(
              changes, scope, pruning, (ns, partition, offset) -> offset >= threshold);
      Map<ObjectId, Change> expected = new HashMap<>();
      long counted = 0;
      try (CloseableIterable<Record> rows =
          IcebergGenerics.read(changes).where(scope.expression()).build()) {
        for (Record row : rows) {
          Change change = TableRows.change(row);
          if (change.object().kafkaOffset() < threshold) {
            continue;
          }
          counted++;
          expected.merge(
              change.object().id(),
              change,
              (a, b) -> a.object().kafkaOffset() >= b.object().kafkaOffset() ? a : b);
        }
      }
      selecting += counted > 0 ? 1 : 0;
      assertThat(result.counted()).as("query %d", q).isEqualTo(counted);
      assertThat(describe(result.newest())).as("query %d", q).isEqualTo(describe(expected));
    }
    assertThat(selecting).as("queries that select changes").isGreaterThanOrEqualTo(12);
  }

  /** Every change whole; deletes without JSON and labels (they are not read). */
  private static Map<String, String> describe(Map<ObjectId, Change> newest) {
    Map<String, String> out = new TreeMap<>();
    newest.forEach(
        (id, change) -> {
          StoredObject o = change.object();
          out.put(
              id.toString(),
              change.deleted()
                  ? change.eventType() + "@" + o.kafkaPartition() + "/" + o.kafkaOffset()
                  : change.toString());
        });
    return out;
  }

  private static Record row(
      Random random, String namespace, int partition, long offset, Instant at) {
    String name = "cm-" + random.nextInt(40);
    boolean deleted = random.nextInt(8) == 0;
    StringBuilder json = new StringBuilder("{\"data\":{\"k\":\"");
    int size = 200 + random.nextInt(3000);
    for (int i = 0; i < size; i++) {
      json.append((char) ('a' + random.nextInt(26)));
    }
    json.append("é\"},\"metadata\":{\"name\":\"").append(name).append("\"}}");
    GenericRecord r = GenericRecord.create(ChangesTable.SCHEMA);
    r.setField(ChangesTable.CLUSTER, random.nextInt(10) == 0 ? "staging" : "prod");
    r.setField(ChangesTable.API_GROUP, "");
    r.setField(ChangesTable.API_VERSION, "v1");
    r.setField(ChangesTable.KIND, "ConfigMap");
    r.setField(ChangesTable.NAMESPACE, namespace);
    r.setField(ChangesTable.NAME, name);
    r.setField(ChangesTable.UID, UUID.nameUUIDFromBytes(name.getBytes()).toString());
    r.setField(ChangesTable.RESOURCE_VERSION, String.valueOf(offset + 1));
    r.setField(ChangesTable.GENERATION, random.nextBoolean() ? null : (long) random.nextInt(9));
    r.setField(ChangesTable.EVENT_TYPE, deleted ? "DELETED" : "MODIFIED");
    r.setField(ChangesTable.ORIGIN, "WATCH");
    r.setField(ChangesTable.OBSERVED_AT, at.atOffset(ZoneOffset.UTC));
    r.setField(ChangesTable.OBJECT, json.toString());
    r.setField(ChangesTable.OBJECT_HASH, Integer.toHexString(json.toString().hashCode()));
    r.setField(
        ChangesTable.LABELS,
        switch (random.nextInt(3)) {
          case 0 -> null;
          case 1 -> Map.of();
          default -> Map.of("app", name, "tier", "t" + random.nextInt(3));
        });
    r.setField(ChangesTable.DELETED_FINAL_STATE_UNKNOWN, deleted && random.nextBoolean());
    r.setField(ChangesTable.SEAL_KEY_ID, random.nextInt(4) == 0 ? "key-1" : null);
    r.setField(ChangesTable.WATCHER_RUN_ID, "run-1");
    r.setField(ChangesTable.KAFKA_PARTITION, partition);
    r.setField(ChangesTable.KAFKA_OFFSET, offset);
    return r;
  }
}
