package io.hindsight.cli;

import io.hindsight.history.tables.CatalogConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The embedded default's one folder (default {@code ~/.hindsight}): the history (SQLite catalog and
 * warehouse), the broker's log, the registry's schemas, the streams-app's stores and the sealing
 * key. Everything Hindsight keeps on one machine lives here, so a restart finds it all.
 */
record DataDirectory(Path root) {
  DataDirectory {
    root = root.toAbsolutePath().normalize();
  }

  static DataDirectory defaultLocation() {
    return new DataDirectory(Path.of(System.getProperty("user.home"), ".hindsight"));
  }

  Path catalogDatabase() {
    return root.resolve("catalog.db");
  }

  Path warehouse() {
    return root.resolve("warehouse");
  }

  Path kafka() {
    return root.resolve("kafka");
  }

  Path registry() {
    return root.resolve("registry");
  }

  Path streams() {
    return root.resolve("streams");
  }

  Path sealingKey() {
    return root.resolve("sealing.key");
  }

  /** The catalog settings of the embedded history. */
  Map<String, String> catalog() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put(CatalogConfig.TYPE, "jdbc");
    values.put(CatalogConfig.URI, "jdbc:sqlite:" + catalogDatabase());
    values.put(CatalogConfig.WAREHOUSE, "file:" + warehouse());
    return values;
  }

  /**
   * Creates the folder when missing and checks it can be written.
   *
   * @throws IllegalArgumentException naming the folder and the option to change it
   */
  DataDirectory prepare(String option) {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot create the data directory "
              + root
              + " ("
              + e.getMessage()
              + "): choose another "
              + option);
    }
    Path probe = root.resolve(".write-probe");
    try {
      Files.writeString(probe, "ok");
      Files.delete(probe);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the data directory " + root + " is not writable: choose another " + option);
    }
    return this;
  }
}
