package io.hindsight.materializer;

import io.hindsight.history.tables.CatalogConfig;
import io.hindsight.history.tables.Catalogs;
import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.CheckpointsTable;
import io.hindsight.history.tables.GapsTable;
import io.hindsight.history.tables.HistoryTables;
import io.hindsight.materializer.RowSink.TableKind;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;

/** A real Iceberg catalog for tests: JDBC on SQLite with a warehouse in a temporary folder. */
final class TestCatalog implements AutoCloseable {
  final Path dir;
  final CatalogConfig config;
  final Catalog catalog;

  TestCatalog(Path dir) {
    this.dir = dir;
    this.config =
        new CatalogConfig(
            Map.of(
                CatalogConfig.URI, "jdbc:sqlite:" + dir.resolve("catalog.db"),
                CatalogConfig.WAREHOUSE, "file:" + dir.resolve("warehouse")));
    this.catalog = Catalogs.open(config);
  }

  /** The three tables, created, with commit retries off as the streams-app sets them. */
  Map<TableKind, Table> tables() {
    HistoryTables.ensure(catalog);
    Map<TableKind, Table> tables = new EnumMap<>(TableKind.class);
    tables.put(TableKind.CHANGES, catalog.loadTable(ChangesTable.ID));
    tables.put(TableKind.CHECKPOINTS, catalog.loadTable(CheckpointsTable.ID));
    tables.put(TableKind.GAPS, catalog.loadTable(GapsTable.ID));
    tables
        .values()
        .forEach(t -> t.updateProperties().set(TableProperties.COMMIT_NUM_RETRIES, "0").commit());
    return tables;
  }

  /** The same tables loaded anew (another process's view). */
  Map<TableKind, Table> reload() {
    Map<TableKind, Table> tables = new EnumMap<>(TableKind.class);
    tables.put(TableKind.CHANGES, catalog.loadTable(ChangesTable.ID));
    tables.put(TableKind.CHECKPOINTS, catalog.loadTable(CheckpointsTable.ID));
    tables.put(TableKind.GAPS, catalog.loadTable(GapsTable.ID));
    return tables;
  }

  @Override
  public void close() throws Exception {
    if (catalog instanceof AutoCloseable c) {
      c.close();
    }
  }
}
