package io.hindsight.history.tables;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;

/** What every Hindsight table shares: its catalog namespace and its table properties. */
final class TableDefaults {
  static final Namespace NAMESPACE = Namespace.of("hindsight");

  private TableDefaults() {}

  /**
   * Properties of every table: format v2, Parquet with zstd, and, for the column that holds object
   * JSON, no column statistics — Iceberg manifests keep min/max values in plain text, and those
   * would leak object contents (sealed Secrets included) into metadata.
   */
  static Map<String, String> properties(String objectColumn) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(TableProperties.FORMAT_VERSION, "2");
    properties.put(TableProperties.DEFAULT_FILE_FORMAT, "parquet");
    properties.put(TableProperties.PARQUET_COMPRESSION, "zstd");
    properties.put(TableProperties.PARQUET_COMPRESSION_LEVEL, "3");
    properties.put(TableProperties.DEFAULT_WRITE_METRICS_MODE, "truncate(32)");
    if (objectColumn != null) {
      properties.put(TableProperties.METRICS_MODE_COLUMN_CONF_PREFIX + objectColumn, "none");
    }
    // no retries inside Iceberg: the streams-app checks fencing and commits as one compare-and-swap
    // and retries itself (IcebergSink); maintenance retries its own commits the same way
    properties.put(TableProperties.COMMIT_NUM_RETRIES, "0");
    properties.put(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true");
    properties.put(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "50");
    return Map.copyOf(properties);
  }
}
