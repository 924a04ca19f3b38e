package io.hindsight.history.tables;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Where the history tables live: an Iceberg catalog by configuration. {@code jdbc} on SQLite with a
 * local warehouse is the embedded default; {@code jdbc} on PostgreSQL or {@code rest} (any Iceberg
 * REST catalog) serve several hosts. Keys start with {@code catalog.}; {@code catalog.property.X=Y}
 * passes {@code X=Y} to the catalog as it is (e.g. {@code io-impl}, S3 credentials).
 */
public final class CatalogConfig extends AbstractConfig {
  public static final String TYPE = "catalog.type";
  public static final String NAME = "catalog.name";
  public static final String URI = "catalog.uri";
  public static final String WAREHOUSE = "catalog.warehouse";
  public static final String JDBC_USER = "catalog.jdbc.user";
  public static final String JDBC_PASSWORD = "catalog.jdbc.password";
  public static final String PROPERTY_PREFIX = "catalog.property.";

  /** The catalog name every engine must use too (Spark, Trino): the JDBC catalog keys by it. */
  public static final String DEFAULT_NAME = "hindsight";

  public static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(
              TYPE,
              Type.STRING,
              "jdbc",
              ConfigDef.ValidString.in("jdbc", "rest"),
              Importance.HIGH,
              "Iceberg catalog kind: jdbc (SQLite or PostgreSQL, by catalog.uri) or rest.")
          .define(
              NAME,
              Type.STRING,
              DEFAULT_NAME,
              new ConfigDef.NonEmptyString(),
              Importance.MEDIUM,
              "Catalog name; SQL engines reading the tables must use the same one.")
          .define(
              URI,
              Type.STRING,
              "",
              Importance.HIGH,
              "jdbc:sqlite:/path/catalog.db, jdbc:postgresql://host/db, or the REST catalog's"
                  + " http(s) URI.")
          .define(
              WAREHOUSE,
              Type.STRING,
              "",
              Importance.HIGH,
              "Where data files go: file:/path or an object store URI (s3://bucket/path); for rest"
                  + " optional, the server decides.")
          .define(JDBC_USER, Type.STRING, "", Importance.MEDIUM, "JDBC user (PostgreSQL).")
          .define(
              JDBC_PASSWORD, Type.PASSWORD, "", Importance.MEDIUM, "JDBC password (PostgreSQL).");

  public CatalogConfig(Map<String, ?> values) {
    super(DEFINITION, values, false);
    if (uri().isBlank()) {
      throw new ConfigException(
          URI,
          "",
          "is required: e.g. catalog.uri=jdbc:sqlite:/var/lib/hindsight/catalog.db with"
              + " catalog.warehouse=file:/var/lib/hindsight/warehouse");
    }
    if (type().equals("jdbc")) {
      if (!uri().startsWith("jdbc:sqlite:") && !uri().startsWith("jdbc:postgresql:")) {
        throw new ConfigException(
            URI, uri(), "for catalog.type=jdbc use jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB");
      }
      if (warehouse().isBlank()) {
        throw new ConfigException(
            WAREHOUSE, "", "is required with catalog.type=jdbc: e.g. file:/var/lib/hindsight/wh");
      }
    } else if (!uri().toLowerCase(Locale.ROOT).startsWith("http")) {
      throw new ConfigException(URI, uri(), "for catalog.type=rest use http(s)://host:port/path");
    }
  }

  public String type() {
    return getString(TYPE);
  }

  public String name() {
    return getString(NAME);
  }

  public String uri() {
    return getString(URI);
  }

  public String warehouse() {
    return getString(WAREHOUSE);
  }

  /** The {@code catalog.property.*} pass-through, without the prefix. */
  public Map<String, String> passThrough() {
    Map<String, String> properties = new LinkedHashMap<>();
    originalsWithPrefix(PROPERTY_PREFIX)
        .forEach(
            (k, v) -> properties.put(k, v instanceof Password p ? p.value() : String.valueOf(v)));
    return properties;
  }

  String jdbcUser() {
    return getString(JDBC_USER);
  }

  String jdbcPassword() {
    return getPassword(JDBC_PASSWORD).value();
  }

  /** Every key of {@code values} that belongs to this configuration. */
  public static Map<String, Object> select(Map<String, ?> values) {
    Map<String, Object> selected = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          if (DEFINITION.names().contains(k) || k.startsWith(PROPERTY_PREFIX)) {
            selected.put(k, v);
          }
        });
    return selected;
  }
}
