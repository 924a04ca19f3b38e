package io.hindsight.history.tables;

import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.rest.RESTCatalog;

/** Opens the configured Iceberg catalog. */
public final class Catalogs {
  private Catalogs() {}

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
