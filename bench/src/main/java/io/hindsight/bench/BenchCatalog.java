package io.hindsight.bench;

import io.hindsight.history.tables.CatalogConfig;
import io.hindsight.history.tables.Catalogs;
import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.HistoryTables;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;

/**
 * A fresh Iceberg catalog of the embedded kind (JDBC on SQLite, local warehouse) in a folder of the
 * run's work directory: where the streams-app, the baselines and the built histories write.
 */
final class BenchCatalog implements AutoCloseable {
  /** The {@code changes} partitioning ADR 0004 weighs against the current one. */
  static final PartitionSpec BY_NAMESPACE_SPEC =
      PartitionSpec.builderFor(ChangesTable.SCHEMA)
          .identity(ChangesTable.CLUSTER)
          .identity(ChangesTable.NAMESPACE)
          .day(ChangesTable.OBSERVED_AT)
          .build();

  /** Partitioned by cluster alone: no day, no namespace (unpartitioned for one cluster). */
  static final PartitionSpec CLUSTER_ONLY_SPEC =
      PartitionSpec.builderFor(ChangesTable.SCHEMA).identity(ChangesTable.CLUSTER).build();

  private final Path dir;
  private final CatalogConfig config;
  private final Catalog catalog;

  private BenchCatalog(Path dir) {
    this.dir = dir;
    this.config = new CatalogConfig(properties(dir));
    this.catalog = Catalogs.open(config);
  }

  /** The catalog in {@code dir} (created when missing). */
  static BenchCatalog open(Path dir) {
    return new BenchCatalog(dir);
  }

  /** The {@code catalog.*} keys of the catalog in {@code dir}, for a streams-app configuration. */
  static Map<String, String> properties(Path dir) {
    return Map.of(
        CatalogConfig.URI, "jdbc:sqlite:" + dir.resolve("catalog.db"),
        CatalogConfig.WAREHOUSE, "file:" + dir.resolve("warehouse"));
  }

  Path dir() {
    return dir;
  }

  CatalogConfig config() {
    return config;
  }

  Catalog catalog() {
    return catalog;
  }

  /**
   * Creates {@code hindsight.changes} with the schema, sort order and properties of {@link
   * ChangesTable} and the given partition spec, then the other history tables as defined.
   */
  Table createHistoryTables(PartitionSpec changesSpec) {
    return createHistoryTables(changesSpec, Map.of());
  }

  /** The same, with {@code extra} table properties on {@code changes}. */
  Table createHistoryTables(PartitionSpec changesSpec, Map<String, String> extra) {
    Map<String, String> properties = new HashMap<>(ChangesTable.PROPERTIES);
    properties.putAll(extra);
    if (catalog instanceof SupportsNamespaces namespaces
        && !namespaces.namespaceExists(HistoryTables.NAMESPACE)) {
      namespaces.createNamespace(HistoryTables.NAMESPACE);
    }
    Table changes =
        catalog
            .buildTable(ChangesTable.ID, ChangesTable.SCHEMA)
            .withPartitionSpec(changesSpec)
            .withSortOrder(ChangesTable.SORT_ORDER)
            .withProperties(properties)
            .create();
    HistoryTables.ensure(catalog);
    return changes;
  }

  /** The table anew from the catalog (what another process sees). */
  Table load(org.apache.iceberg.catalog.TableIdentifier id) {
    return catalog.loadTable(id);
  }

  @Override
  public void close() throws Exception {
    if (catalog instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }
}
