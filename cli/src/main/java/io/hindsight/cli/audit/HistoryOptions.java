package io.hindsight.cli.audit;

import io.hindsight.history.HistoryException;
import io.hindsight.history.HistoryReader;
import io.hindsight.history.tables.CatalogConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the history lives, shared by the commands that read it: a data folder with the embedded
 * default ({@code catalog.db}, a SQLite JDBC catalog, and {@code warehouse/}), or any catalog by
 * type, URI and warehouse.
 */
public final class HistoryOptions {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Folder of the embedded history: DIR/catalog.db and DIR/warehouse (default: ~/.hindsight).")
  Path dataDir;

  @Option(
      names = "--catalog-type",
      paramLabel = "jdbc|rest",
      description = "Iceberg catalog kind when not the embedded one (default: jdbc).")
  String catalogType;

  @Option(
      names = "--catalog-uri",
      paramLabel = "URI",
      description =
          "jdbc:sqlite:FILE, jdbc:postgresql://HOST/DB or the REST catalog's http(s) URI;"
              + " replaces --data-dir.")
  String catalogUri;

  @Option(
      names = "--warehouse",
      paramLabel = "URI",
      description = "Where the data files are (file:/path, s3://bucket/path); jdbc needs it.")
  String warehouse;

  @Option(
      names = "--catalog-property",
      paramLabel = "KEY=VALUE",
      description = "Passed to the catalog as it is (e.g. io-impl, s3.endpoint, jdbc.user).")
  Map<String, String> properties = new LinkedHashMap<>();

  @Option(
      names = "--cluster",
      paramLabel = "NAME",
      description = "The cluster, when the history holds several.")
  String cluster;

  /** The catalog configuration these options name. */
  CatalogConfig config() {
    Map<String, Object> values = new HashMap<>();
    if (catalogUri != null) {
      values.put(CatalogConfig.URI, catalogUri);
      if (catalogType != null) {
        values.put(CatalogConfig.TYPE, catalogType);
      }
      if (warehouse != null) {
        values.put(CatalogConfig.WAREHOUSE, warehouse);
      }
    } else {
      Path dir = dataDir();
      Path db = dir.resolve("catalog.db");
      if (!Files.isRegularFile(db)) {
        throw new HistoryException(
            HistoryException.Reason.UNREADABLE,
            "no history at "
                + dir
                + " ("
                + db
                + " does not exist): point --data-dir at the folder the streams-app writes, or"
                + " name a catalog with --catalog-uri");
      }
      values.put(CatalogConfig.URI, "jdbc:sqlite:" + db);
      values.put(
          CatalogConfig.WAREHOUSE,
          warehouse != null ? warehouse : "file:" + dir.resolve("warehouse"));
    }
    properties.forEach((k, v) -> values.put(CatalogConfig.PROPERTY_PREFIX + k, v));
    return new CatalogConfig(values);
  }

  Path dataDir() {
    return (dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".hindsight"))
        .toAbsolutePath()
        .normalize();
  }

  HistoryReader open() {
    return HistoryReader.open(config());
  }

  String cluster() {
    return cluster;
  }
}
