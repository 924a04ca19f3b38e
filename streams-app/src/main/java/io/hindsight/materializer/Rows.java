package io.hindsight.materializer;

import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.CheckpointsTable;
import io.hindsight.history.tables.GapsTable;
import io.hindsight.history.tables.Micros;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.WatchGap;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;

/**
 * Builds the rows of the three tables from what {@code hindsight.changes} carries; public so tools
 * that write histories directly (benchmarks, SQL tests) produce exactly the rows the streams-app
 * writes.
 */
public final class Rows {
  private static final GenericRecord CHANGE = GenericRecord.create(ChangesTable.SCHEMA);
  private static final GenericRecord CHECKPOINT = GenericRecord.create(CheckpointsTable.SCHEMA);
  private static final GenericRecord GAP = GenericRecord.create(GapsTable.SCHEMA);

  private Rows() {}

  /** The API group of an apiVersion: {@code apps/v1} → {@code apps}, {@code v1} → "". */
  public static String groupOf(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  public static Record change(ChangeEnvelope e, int partition, long offset) {
    Record row = CHANGE.copy();
    row.setField(ChangesTable.CLUSTER, e.getCluster());
    row.setField(ChangesTable.API_GROUP, groupOf(e.getApiVersion()));
    row.setField(ChangesTable.API_VERSION, e.getApiVersion());
    row.setField(ChangesTable.KIND, e.getKind());
    row.setField(ChangesTable.NAMESPACE, e.getNamespace());
    row.setField(ChangesTable.NAME, e.getName());
    row.setField(ChangesTable.UID, e.getUid());
    row.setField(ChangesTable.RESOURCE_VERSION, e.getResourceVersion());
    row.setField(ChangesTable.GENERATION, e.getGeneration());
    row.setField(ChangesTable.EVENT_TYPE, e.getEventType().name());
    row.setField(ChangesTable.ORIGIN, e.getOrigin().name());
    row.setField(ChangesTable.OBSERVED_AT, Micros.timestamptz(e.getObservedAt()));
    row.setField(ChangesTable.OBJECT, e.getObject());
    row.setField(ChangesTable.OBJECT_HASH, e.getObjectHash());
    row.setField(ChangesTable.LABELS, labels(e.getLabels()));
    row.setField(ChangesTable.DELETED_FINAL_STATE_UNKNOWN, e.getDeletedFinalStateUnknown());
    row.setField(ChangesTable.SEAL_KEY_ID, e.getSealKeyId());
    row.setField(ChangesTable.WATCHER_RUN_ID, e.getWatcherRunId());
    row.setField(ChangesTable.KAFKA_PARTITION, partition);
    row.setField(ChangesTable.KAFKA_OFFSET, offset);
    return row;
  }

  /** One checkpoint row: object {@code e} (recorded at {@code offset}) in a checkpoint. */
  public static Record checkpoint(
      ChangeEnvelope e,
      long offset,
      Instant checkpointTime,
      int partition,
      long throughOffset,
      int objectCount) {
    Record row = CHECKPOINT.copy();
    row.setField(CheckpointsTable.CLUSTER, e.getCluster());
    row.setField(CheckpointsTable.NAMESPACE, e.getNamespace());
    row.setField(CheckpointsTable.CHECKPOINT_TIME, Micros.timestamptz(checkpointTime));
    row.setField(CheckpointsTable.KAFKA_PARTITION, partition);
    row.setField(CheckpointsTable.THROUGH_OFFSET, throughOffset);
    row.setField(CheckpointsTable.OBJECT_COUNT, objectCount);
    row.setField(CheckpointsTable.API_GROUP, groupOf(e.getApiVersion()));
    row.setField(CheckpointsTable.API_VERSION, e.getApiVersion());
    row.setField(CheckpointsTable.KIND, e.getKind());
    row.setField(CheckpointsTable.NAME, e.getName());
    row.setField(CheckpointsTable.UID, e.getUid());
    row.setField(CheckpointsTable.RESOURCE_VERSION, e.getResourceVersion());
    row.setField(CheckpointsTable.GENERATION, e.getGeneration());
    row.setField(CheckpointsTable.OBSERVED_AT, Micros.timestamptz(e.getObservedAt()));
    row.setField(CheckpointsTable.OBJECT, e.getObject());
    row.setField(CheckpointsTable.OBJECT_HASH, e.getObjectHash());
    row.setField(CheckpointsTable.LABELS, labels(e.getLabels()));
    row.setField(CheckpointsTable.SEAL_KEY_ID, e.getSealKeyId());
    row.setField(CheckpointsTable.KAFKA_OFFSET, offset);
    return row;
  }

  public static Record gap(WatchGap g, int partition, long offset) {
    Record row = GAP.copy();
    row.setField(GapsTable.CLUSTER, g.getCluster());
    row.setField(GapsTable.KAFKA_PARTITION, partition);
    row.setField(GapsTable.KAFKA_OFFSET, offset);
    row.setField(GapsTable.RESOURCE, g.getResource());
    row.setField(GapsTable.GAP_FROM, Micros.timestamptz(g.getGapFrom()));
    row.setField(GapsTable.GAP_TO, Micros.timestamptz(g.getGapTo()));
    row.setField(GapsTable.REASON, g.getReason());
    row.setField(GapsTable.WATCHER_RUN_ID, g.getWatcherRunId());
    return row;
  }

  private static Map<String, String> labels(Map<String, String> labels) {
    return labels == null ? Map.of() : new HashMap<>(labels);
  }
}
