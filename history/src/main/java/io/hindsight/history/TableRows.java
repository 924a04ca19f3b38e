package io.hindsight.history;

import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.CheckpointsTable;
import io.hindsight.history.tables.GapsTable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.data.Record;

/** Table rows back into the reader's values. */
final class TableRows {
  private TableRows() {}

  static Instant instant(Object value) {
    return ((OffsetDateTime) value).toInstant();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> labels(Object value) {
    if (value == null) {
      return Map.of();
    }
    Map<String, String> out = new HashMap<>();
    ((Map<Object, Object>) value).forEach((k, v) -> out.put(k.toString(), v.toString()));
    return out;
  }

  static Change change(Record r) {
    ObjectId id =
        new ObjectId(
            (String) r.getField(ChangesTable.CLUSTER),
            (String) r.getField(ChangesTable.API_GROUP),
            (String) r.getField(ChangesTable.KIND),
            (String) r.getField(ChangesTable.NAMESPACE),
            (String) r.getField(ChangesTable.NAME));
    StoredObject object =
        new StoredObject(
            id,
            (String) r.getField(ChangesTable.API_VERSION),
            (String) r.getField(ChangesTable.UID),
            (String) r.getField(ChangesTable.RESOURCE_VERSION),
            (Long) r.getField(ChangesTable.GENERATION),
            instant(r.getField(ChangesTable.OBSERVED_AT)),
            (String) r.getField(ChangesTable.OBJECT),
            (String) r.getField(ChangesTable.OBJECT_HASH),
            labels(r.getField(ChangesTable.LABELS)),
            (String) r.getField(ChangesTable.SEAL_KEY_ID),
            (Integer) r.getField(ChangesTable.KAFKA_PARTITION),
            (Long) r.getField(ChangesTable.KAFKA_OFFSET));
    return new Change(
        object,
        (String) r.getField(ChangesTable.EVENT_TYPE),
        (String) r.getField(ChangesTable.ORIGIN),
        (Boolean) r.getField(ChangesTable.DELETED_FINAL_STATE_UNKNOWN),
        (String) r.getField(ChangesTable.WATCHER_RUN_ID));
  }

  static StoredObject checkpointObject(Record r) {
    ObjectId id =
        new ObjectId(
            (String) r.getField(CheckpointsTable.CLUSTER),
            (String) r.getField(CheckpointsTable.API_GROUP),
            (String) r.getField(CheckpointsTable.KIND),
            (String) r.getField(CheckpointsTable.NAMESPACE),
            (String) r.getField(CheckpointsTable.NAME));
    return new StoredObject(
        id,
        (String) r.getField(CheckpointsTable.API_VERSION),
        (String) r.getField(CheckpointsTable.UID),
        (String) r.getField(CheckpointsTable.RESOURCE_VERSION),
        (Long) r.getField(CheckpointsTable.GENERATION),
        instant(r.getField(CheckpointsTable.OBSERVED_AT)),
        (String) r.getField(CheckpointsTable.OBJECT),
        (String) r.getField(CheckpointsTable.OBJECT_HASH),
        labels(r.getField(CheckpointsTable.LABELS)),
        (String) r.getField(CheckpointsTable.SEAL_KEY_ID),
        (Integer) r.getField(CheckpointsTable.KAFKA_PARTITION),
        (Long) r.getField(CheckpointsTable.KAFKA_OFFSET));
  }

  static Gap gap(Record r) {
    return new Gap(
        (String) r.getField(GapsTable.CLUSTER),
        (String) r.getField(GapsTable.RESOURCE),
        instant(r.getField(GapsTable.GAP_FROM)),
        instant(r.getField(GapsTable.GAP_TO)),
        (String) r.getField(GapsTable.REASON));
  }
}
