package io.hindsight.e2e;

import io.hindsight.history.tables.CatalogConfig;
import io.hindsight.history.tables.Catalogs;
import io.hindsight.history.tables.ChangesTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/** The rows of the {@code changes} table of one cluster, read straight from the catalog. */
final class ChangeRows {
  private ChangeRows() {}

  /** One row, the columns the exactly-once checks need. */
  record Row(
      String kind,
      String namespace,
      String name,
      String uid,
      String resourceVersion,
      String eventType,
      String origin,
      boolean finalStateUnknown,
      Instant observedAt,
      int partition,
      long offset) {
    boolean deleted() {
      return eventType.equals("DELETED");
    }
  }

  static List<Row> read(CatalogConfig config, String cluster) {
    Catalog catalog = Catalogs.open(config);
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(catalog.loadTable(ChangesTable.ID))
            .where(Expressions.equal(ChangesTable.CLUSTER, cluster))
            .build()) {
      List<Row> out = new ArrayList<>();
      for (Record r : rows) {
        out.add(
            new Row(
                (String) r.getField(ChangesTable.KIND),
                (String) r.getField(ChangesTable.NAMESPACE),
                (String) r.getField(ChangesTable.NAME),
                (String) r.getField(ChangesTable.UID),
                (String) r.getField(ChangesTable.RESOURCE_VERSION),
                (String) r.getField(ChangesTable.EVENT_TYPE),
                (String) r.getField(ChangesTable.ORIGIN),
                (Boolean) r.getField(ChangesTable.DELETED_FINAL_STATE_UNKNOWN),
                ((OffsetDateTime) r.getField(ChangesTable.OBSERVED_AT)).toInstant(),
                (Integer) r.getField(ChangesTable.KAFKA_PARTITION),
                (Long) r.getField(ChangesTable.KAFKA_OFFSET)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (catalog instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          // nothing to do
        }
      }
    }
  }
}
