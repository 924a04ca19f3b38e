package io.hindsight.history.tables;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import java.util.Map;
import org.apache.iceberg.NullOrder;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * Table {@code hindsight.checkpoints}: the full state of one namespace at one instant, one row per
 * live object, written periodically by the streams-app from its state store, append-only. A
 * checkpoint is identified by (cluster, namespace, checkpoint_time) and is complete through {@code
 * through_offset} of {@code kafka_partition}: state at T = the latest checkpoint at or before T
 * plus the changes of that partition after {@code through_offset} observed at or before T.
 */
public final class CheckpointsTable {
  public static final TableIdentifier ID =
      TableIdentifier.of(TableDefaults.NAMESPACE, "checkpoints");

  public static final String CLUSTER = "cluster";
  public static final String NAMESPACE = "namespace";
  public static final String CHECKPOINT_TIME = "checkpoint_time";
  public static final String KAFKA_PARTITION = "kafka_partition";
  public static final String THROUGH_OFFSET = "through_offset";
  public static final String OBJECT_COUNT = "object_count";
  public static final String API_GROUP = "api_group";
  public static final String API_VERSION = "api_version";
  public static final String KIND = "kind";
  public static final String NAME = "name";
  public static final String UID = "uid";
  public static final String RESOURCE_VERSION = "resource_version";
  public static final String GENERATION = "generation";
  public static final String OBSERVED_AT = "observed_at";
  public static final String OBJECT = "object";
  public static final String OBJECT_HASH = "object_hash";
  public static final String LABELS = "labels";
  public static final String SEAL_KEY_ID = "seal_key_id";
  public static final String KAFKA_OFFSET = "kafka_offset";

  public static final Schema SCHEMA =
      new Schema(
          required(1, CLUSTER, Types.StringType.get()),
          required(2, NAMESPACE, Types.StringType.get(), "empty for cluster-scoped objects"),
          required(
              3,
              CHECKPOINT_TIME,
              Types.TimestampType.withZone(),
              "the latest observed_at the checkpoint covers in its partition"),
          required(4, KAFKA_PARTITION, Types.IntegerType.get(), "partition in hindsight.changes"),
          required(
              5,
              THROUGH_OFFSET,
              Types.LongType.get(),
              "every change of the partition up to this offset is in the checkpoint"),
          required(6, OBJECT_COUNT, Types.IntegerType.get(), "objects in this checkpoint"),
          required(7, API_GROUP, Types.StringType.get()),
          required(8, API_VERSION, Types.StringType.get()),
          required(9, KIND, Types.StringType.get()),
          required(10, NAME, Types.StringType.get()),
          required(11, UID, Types.StringType.get()),
          required(12, RESOURCE_VERSION, Types.StringType.get()),
          optional(13, GENERATION, Types.LongType.get()),
          required(14, OBSERVED_AT, Types.TimestampType.withZone(), "when this state was observed"),
          required(15, OBJECT, Types.StringType.get(), "the object as JSON; Secret values sealed"),
          required(16, OBJECT_HASH, Types.StringType.get()),
          optional(
              17,
              LABELS,
              Types.MapType.ofRequired(18, 19, Types.StringType.get(), Types.StringType.get())),
          optional(20, SEAL_KEY_ID, Types.StringType.get()),
          required(
              21, KAFKA_OFFSET, Types.LongType.get(), "offset of the change that gave this state"));

  public static final PartitionSpec SPEC =
      PartitionSpec.builderFor(SCHEMA).identity(CLUSTER).identity(NAMESPACE).build();

  public static final SortOrder SORT_ORDER =
      SortOrder.builderFor(SCHEMA)
          .asc(CHECKPOINT_TIME, NullOrder.NULLS_FIRST)
          .asc(KIND, NullOrder.NULLS_FIRST)
          .asc(NAME, NullOrder.NULLS_FIRST)
          .build();

  public static final Map<String, String> PROPERTIES = TableDefaults.properties(OBJECT);

  private CheckpointsTable() {}
}
