package io.hindsight.history.tables;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.kafka.common.config.ConfigException;

/** Opens the configured Iceberg catalog. */
public final class Catalogs {
  private Catalogs() {}

  /** SQLite creates the database file but not its folder: create it, or say what is wrong. */
  private static void prepareSqliteFile(CatalogConfig config) {
    String prefix = "jdbc:sqlite:";
    if (!config.uri().startsWith(prefix)) {
      return;
    }
    String path = config.uri().substring(prefix.length());
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")) {
      return;
    }
    Path parent = Path.of(path).toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new ConfigException(
          CatalogConfig.URI,
          config.uri(),
          "cannot create the folder "
              + parent
              + " for the SQLite catalog ("
              + e
              + "): choose a writable place");
    }
    if (!Files.isWritable(parent)) {
      throw new ConfigException(
          CatalogConfig.URI,
          config.uri(),
          "the folder " + parent + " is not writable: choose a writable place");
    }
  }

  /** The catalog of {@code config}; the caller closes it when it is {@link AutoCloseable}. */
  public static Catalog open(CatalogConfig config) {
    Map<String, String> properties = new HashMap<>(config.passThrough());
    properties.put(CatalogProperties.URI, config.uri());
    if (!config.warehouse().isBlank()) {
      properties.put(CatalogProperties.WAREHOUSE_LOCATION, config.warehouse());
    }
    if (config.type().equals("rest")) {
      RESTCatalog rest = new RESTCatalog();
      rest.setConf(new Configuration());
      rest.initialize(config.name(), properties);
      return rest;
    }
    prepareSqliteFile(config);
    // V1 keeps views out of the schema, as Spark's and Trino's JDBC catalogs expect by default
    properties.putIfAbsent("jdbc.schema-version", "V1");
    if (!config.jdbcUser().isBlank()) {
      properties.put("jdbc.user", config.jdbcUser());
      properties.put("jdbc.password", config.jdbcPassword());
    }
    JdbcCatalog jdbc = new JdbcCatalog();
    jdbc.setConf(new Configuration());
    jdbc.initialize(config.name(), properties);
    return jdbc;
  }
}
