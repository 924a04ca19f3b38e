package io.hindsight.history.tables;

import static org.apache.iceberg.types.Types.NestedField.required;

import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * Table {@code hindsight.gaps}: intervals in which the watcher could not observe changes as they
 * happened (a start after downtime, a 410 Gone relist, a skipped bad object). History inside a gap
 * is not exact, so the reader refuses instants inside one. The watcher sends each gap to every
 * partition; one row per partition it reached.
 */
public final class GapsTable {
  public static final TableIdentifier ID = TableIdentifier.of(TableDefaults.NAMESPACE, "gaps");

  public static final String CLUSTER = "cluster";
  public static final String KAFKA_PARTITION = "kafka_partition";
  public static final String KAFKA_OFFSET = "kafka_offset";
  public static final String RESOURCE = "resource";
  public static final String GAP_FROM = "gap_from";
  public static final String GAP_TO = "gap_to";
  public static final String REASON = "reason";
  public static final String WATCHER_RUN_ID = "watcher_run_id";

  public static final Schema SCHEMA =
      new Schema(
          required(1, CLUSTER, Types.StringType.get()),
          required(2, KAFKA_PARTITION, Types.IntegerType.get()),
          required(3, KAFKA_OFFSET, Types.LongType.get()),
          required(
              4,
              RESOURCE,
              Types.StringType.get(),
              "group/version/resource affected (with namespace/name for one object), or *"),
          required(5, GAP_FROM, Types.TimestampType.withZone()),
          required(6, GAP_TO, Types.TimestampType.withZone()),
          required(7, REASON, Types.StringType.get()),
          required(8, WATCHER_RUN_ID, Types.StringType.get()));

  public static final PartitionSpec SPEC = PartitionSpec.unpartitioned();

  public static final SortOrder SORT_ORDER = SortOrder.unsorted();

  public static final Map<String, String> PROPERTIES = TableDefaults.properties(null);

  private GapsTable() {}
}
