package io.hindsight.history.tables;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;

/** The catalog namespace of Hindsight's tables, their shared properties, and their creation. */
public final class HistoryTables {
  /** Catalog namespace of every Hindsight table. */
  public static final Namespace NAMESPACE = TableDefaults.NAMESPACE;

  /** One table definition. */
  public record Definition(
      TableIdentifier id,
      Schema schema,
      PartitionSpec spec,
      SortOrder sortOrder,
      Map<String, String> properties) {}

  // the definitions read the table classes, which read TableDefaults only: no initialization cycle
  public static final Definition CHANGES =
      new Definition(
          ChangesTable.ID,
          ChangesTable.SCHEMA,
          ChangesTable.SPEC,
          ChangesTable.SORT_ORDER,
          ChangesTable.PROPERTIES);
  public static final Definition CHECKPOINTS =
      new Definition(
          CheckpointsTable.ID,
          CheckpointsTable.SCHEMA,
          CheckpointsTable.SPEC,
          CheckpointsTable.SORT_ORDER,
          CheckpointsTable.PROPERTIES);
  public static final Definition GAPS =
      new Definition(
          GapsTable.ID,
          GapsTable.SCHEMA,
          GapsTable.SPEC,
          GapsTable.SORT_ORDER,
          GapsTable.PROPERTIES);

  public static final List<Definition> ALL = List.of(CHANGES, CHECKPOINTS, GAPS);

  private HistoryTables() {}

  /** Creates the namespace and every table that does not exist yet; returns them all loaded. */
  public static Map<TableIdentifier, Table> ensure(Catalog catalog) {
    if (catalog instanceof SupportsNamespaces namespaces
        && !namespaces.namespaceExists(NAMESPACE)) {
      try {
        namespaces.createNamespace(NAMESPACE);
      } catch (AlreadyExistsException raced) {
        // created by another instance meanwhile
      }
    }
    Map<TableIdentifier, Table> tables = new LinkedHashMap<>();
    for (Definition definition : ALL) {
      tables.put(definition.id(), ensure(catalog, definition));
    }
    return tables;
  }

  static Table ensure(Catalog catalog, Definition definition) {
    if (catalog.tableExists(definition.id())) {
      return catalog.loadTable(definition.id());
    }
    try {
      return catalog
          .buildTable(definition.id(), definition.schema())
          .withPartitionSpec(definition.spec())
          .withSortOrder(definition.sortOrder())
          .withProperties(definition.properties())
          .create();
    } catch (AlreadyExistsException raced) {
      return catalog.loadTable(definition.id());
    }
  }
}
