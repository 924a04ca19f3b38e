package io.hindsight.history;

import io.hindsight.history.tables.CatalogConfig;
import io.hindsight.history.tables.Catalogs;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;

/** The embedded default catalog (JDBC on SQLite, a local warehouse) in a test's folder. */
final class LocalCatalog {
  private LocalCatalog() {}

  static Catalog open(Path dir) {
    return Catalogs.open(
        new CatalogConfig(
            Map.of(
                CatalogConfig.URI,
                "jdbc:sqlite:" + dir.resolve("catalog.db"),
                CatalogConfig.WAREHOUSE,
                dir.resolve("warehouse").toUri().toString())));
  }

  static void close(Catalog catalog) throws Exception {
    if (catalog instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }
}
