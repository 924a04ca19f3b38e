package io.hindsight.materializer;

import static io.hindsight.schemas.avro.EventType.ADDED;
import static io.hindsight.schemas.avro.EventType.DELETED;
import static io.hindsight.schemas.avro.EventType.MODIFIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.CheckpointsTable;
import io.hindsight.history.tables.GapsTable;
import io.hindsight.materializer.RowSink.TableKind;
import io.hindsight.schemas.Topics;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.ChangeLogRecord;
import io.hindsight.schemas.avro.ObjectKey;
import io.hindsight.serde.AvroDeserializer;
import io.hindsight.serde.SchemaRegistryClient;
import io.hindsight.testing.registry.FakeRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Properties;
import org.apache.iceberg.data.Record;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The topology's decisions, driven record by record through {@link TopologyTestDriver}: dedupe,
 * order, deletes, checkpoints, watermarks, gaps, replay after a crash, bad records. The rows go to
 * a {@link MemorySink}; real Iceberg commits are tested in {@code MaterializerIT}.
 */
class MaterializerTopologyTest {
  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
  private static final Duration CHECKPOINT_INTERVAL = Duration.ofMinutes(60);

  private FakeRegistry fakeRegistry;
  private ChangeRecords records;
  private MemorySink sink;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> input;
  private boolean failOnBadRecord;

  @BeforeEach
  void start() throws IOException {
    fakeRegistry = new FakeRegistry();
    records = new ChangeRecords("prod", new SchemaRegistryClient(fakeRegistry.url()));
    sink = new MemorySink();
  }

  private void startDriver() {
    SchemaRegistryClient registry = new SchemaRegistryClient(fakeRegistry.url());
    MaterializerMetrics metrics = new MaterializerMetrics();
    var topology =
        MaterializerTopology.build(
            Topics.CHANGES,
            () ->
                new ChangeProcessor(
                    new AvroDeserializer<>(ObjectKey.class, registry),
                    new AvroDeserializer<>(ChangeLogRecord.class, registry),
                    () -> sink,
                    CHECKPOINT_INTERVAL,
                    Duration.ofSeconds(10),
                    failOnBadRecord,
                    metrics));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver = new TopologyTestDriver(topology, props);
    input =
        driver.createInputTopic(
            Topics.CHANGES, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
    fakeRegistry.close();
  }

  private void send(ChangeEnvelope e) {
    input.pipeInput(records.key(e), records.value(e));
  }

  private ChangeEnvelope cm(
      io.hindsight.schemas.avro.EventType type,
      String name,
      String uid,
      String rv,
      String hash,
      int minute) {
    return records.envelope(
        type, "ConfigMap", "shop", name, uid, rv, hash, T0.plusSeconds(60L * minute));
  }

  private static List<String> describe(List<Record> rows) {
    return rows.stream()
        .map(
            r ->
                r.getField(ChangesTable.NAME)
                    + ":"
                    + r.getField(ChangesTable.EVENT_TYPE)
                    + ":"
                    + r.getField(ChangesTable.RESOURCE_VERSION)
                    + "@"
                    + r.getField(ChangesTable.KAFKA_OFFSET))
        .toList();
  }

  @Test
  void repeatsOfTheLatestStateAreDroppedAndRealChangesKeptInOrder() {
    startDriver();
    send(cm(ADDED, "a", "u1", "1", "h1", 0));
    send(cm(ADDED, "a", "u1", "1", "h1", 0)); // same uid and resourceVersion
    send(cm(MODIFIED, "a", "u1", "2", "h1", 1)); // same content hash
    send(cm(MODIFIED, "a", "u1", "3", "h2", 2)); // a real change
    send(cm(ADDED, "b", "u2", "4", "h3", 3));
    send(cm(MODIFIED, "a", "u1", "3", "h2", 4)); // repeat of the latest again

    assertThat(describe(sink.rows(TableKind.CHANGES)))
        .containsExactly("a:ADDED:1@0", "a:MODIFIED:3@3", "b:ADDED:4@4");
  }

  @Test
  void deletesAreKeptOnceAndLateEventsOfADeletedObjectAreStale() {
    startDriver();
    send(cm(ADDED, "a", "u1", "1", "h1", 0));
    send(cm(DELETED, "a", "u1", "2", "h1", 1));
    send(cm(DELETED, "a", "u1", "2", "h1", 2)); // the delete again
    send(cm(MODIFIED, "a", "u1", "3", "h9", 3)); // an event of the deleted uid: stale
    send(cm(ADDED, "a", "u2", "4", "h1", 4)); // recreated under the same name: new uid
    send(cm(DELETED, "a", "u1", "5", "h1", 5)); // a delete of the old uid while u2 lives: stale

    assertThat(describe(sink.rows(TableKind.CHANGES)))
        .containsExactly("a:ADDED:1@0", "a:DELETED:2@1", "a:ADDED:4@4");
  }

  @Test
  void everyEnvelopeFieldBecomesAColumn() {
    startDriver();
    ChangeEnvelope e =
        records.envelope(ADDED, "Deployment", "shop", "web", "u1", "7", "h1", T0.plusMillis(1234));
    send(e);

    Record row = sink.rows(TableKind.CHANGES).get(0);
    assertThat(row.getField(ChangesTable.CLUSTER)).isEqualTo("prod");
    assertThat(row.getField(ChangesTable.API_GROUP)).isEqualTo("apps");
    assertThat(row.getField(ChangesTable.API_VERSION)).isEqualTo("apps/v1");
    assertThat(row.getField(ChangesTable.KIND)).isEqualTo("Deployment");
    assertThat(row.getField(ChangesTable.NAMESPACE)).isEqualTo("shop");
    assertThat(row.getField(ChangesTable.UID)).isEqualTo("u1");
    assertThat(row.getField(ChangesTable.ORIGIN)).isEqualTo("WATCH");
    assertThat(row.getField(ChangesTable.OBSERVED_AT))
        .isEqualTo(OffsetDateTime.parse("2026-11-01T10:00:01.234Z"));
    assertThat(row.getField(ChangesTable.OBJECT)).isEqualTo(e.getObject());
    assertThat(row.getField(ChangesTable.LABELS)).isEqualTo(java.util.Map.of("app", "web"));
    assertThat(row.getField(ChangesTable.KAFKA_PARTITION)).isEqualTo(0);
    assertThat(row.getField(ChangesTable.WATCHER_RUN_ID)).isEqualTo("run-1");
  }

  @Test
  void aNamespaceThatChangedIsCheckpointedOnceAnIntervalOfBusinessTimeHasPassed() {
    startDriver();
    send(cm(ADDED, "a", "u1", "1", "h1", 0));
    send(cm(ADDED, "b", "u2", "2", "h2", 1));
    send(cm(ADDED, "c", "u3", "3", "h3", 2));
    send(cm(DELETED, "c", "u3", "4", "h3", 3));
    driver.advanceWallClockTime(Duration.ofSeconds(11));
    assertThat(sink.rows(TableKind.CHECKPOINTS)).as("not an interval yet").isEmpty();

    send(cm(MODIFIED, "a", "u1", "5", "h4", 61)); // business time passes the interval
    driver.advanceWallClockTime(Duration.ofSeconds(11));

    List<Record> checkpoint = sink.rows(TableKind.CHECKPOINTS);
    assertThat(checkpoint)
        .extracting(
            r ->
                r.getField(CheckpointsTable.NAME)
                    + ":"
                    + r.getField(CheckpointsTable.RESOURCE_VERSION))
        .containsExactlyInAnyOrder("a:5", "b:2");
    assertThat(checkpoint)
        .allSatisfy(
            r -> {
              assertThat(r.getField(CheckpointsTable.OBJECT_COUNT)).isEqualTo(2);
              assertThat(r.getField(CheckpointsTable.THROUGH_OFFSET)).isEqualTo(4L);
              assertThat(r.getField(CheckpointsTable.CHECKPOINT_TIME))
                  .isEqualTo(OffsetDateTime.parse("2026-11-01T11:01:00Z"));
              assertThat(r.getField(CheckpointsTable.NAMESPACE)).isEqualTo("shop");
            });

    driver.advanceWallClockTime(Duration.ofSeconds(11));
    assertThat(sink.rows(TableKind.CHECKPOINTS))
        .as("no change since: no new checkpoint")
        .hasSize(2);
  }

  @Test
  void deletionMarkersOutliveTheCheckpointRightAfterTheDeleteAndGoAtTheNextOne() {
    startDriver();
    send(cm(ADDED, "a", "u1", "1", "h1", 0));
    send(cm(DELETED, "a", "u1", "2", "h1", 59));
    send(cm(DELETED, "a", "u1", "2", "h1", 60)); // caught by the marker
    send(cm(ADDED, "b", "u2", "3", "h2", 61));
    driver.advanceWallClockTime(Duration.ofSeconds(11)); // first checkpoint, a minute after 0
    send(cm(DELETED, "a", "u1", "2", "h1", 62)); // a late repeat right after it: still caught
    assertThat(describe(sink.rows(TableKind.CHANGES)))
        .containsExactly("a:ADDED:1@0", "a:DELETED:2@1", "b:ADDED:3@3");
    assertThat(sink.rows(TableKind.CHECKPOINTS))
        .extracting(r -> r.getField(CheckpointsTable.NAME))
        .containsExactly("b");
    assertThat(storedNames()).containsExactlyInAnyOrder("a", "b");

    send(cm(MODIFIED, "b", "u2", "4", "h3", 125)); // an interval after the first checkpoint
    driver.advanceWallClockTime(Duration.ofSeconds(11));
    assertThat(storedNames()).as("the marker went at the second checkpoint").containsExactly("b");
  }

  private List<String> storedNames() {
    List<String> stored = new java.util.ArrayList<>();
    driver
        .<String, byte[]>getKeyValueStore(MaterializerTopology.LATEST_OBJECTS)
        .all()
        .forEachRemaining(kv -> stored.add(kv.key.substring(kv.key.lastIndexOf('\0') + 1)));
    return stored;
  }

  @Test
  void heartbeatsMoveTheWatermarkAndGapsBecomeRows() {
    startDriver();
    input.pipeInput(records.heartbeatKey(), records.heartbeat(0, T0, false));
    assertThat(sink.watermarks).as("unsynced heartbeats prove nothing").isEmpty();
    input.pipeInput(records.heartbeatKey(), records.heartbeat(0, T0.plusSeconds(5), true));
    input.pipeInput(
        records.heartbeatKey(), records.gap(0, T0, T0.plusSeconds(30), "WATCH_EXPIRED 410"));

    assertThat(sink.watermarks.get("prod")).containsEntry(0, T0.plusSeconds(5));
    Record gap = sink.rows(TableKind.GAPS).get(0);
    assertThat(gap.getField(GapsTable.REASON)).isEqualTo("WATCH_EXPIRED 410");
    assertThat(gap.getField(GapsTable.GAP_TO))
        .isEqualTo(OffsetDateTime.parse("2026-11-01T10:00:30Z"));
    assertThat(gap.getField(GapsTable.KAFKA_OFFSET)).isEqualTo(2L);
  }

  @Test
  void recordsTheTableAlreadyHoldsAreReplayedIntoTheStoresButNotWrittenAgain() {
    sink.committedNext.put(TableKind.CHANGES, 2L); // as after a crash between Iceberg and Kafka
    sink.committedNext.put(TableKind.CHECKPOINTS, 2L);
    startDriver();
    send(cm(ADDED, "a", "u1", "1", "h1", 0));
    send(cm(ADDED, "b", "u2", "2", "h2", 1));
    send(cm(MODIFIED, "a", "u1", "3", "h3", 2));
    send(cm(MODIFIED, "b", "u2", "4", "h4", 61));
    driver.advanceWallClockTime(Duration.ofSeconds(11));

    assertThat(describe(sink.rows(TableKind.CHANGES)))
        .containsExactly("a:MODIFIED:3@2", "b:MODIFIED:4@3");
    assertThat(sink.rows(TableKind.CHECKPOINTS))
        .extracting(
            r ->
                r.getField(CheckpointsTable.NAME)
                    + ":"
                    + r.getField(CheckpointsTable.RESOURCE_VERSION))
        .containsExactlyInAnyOrder("a:3", "b:4");
  }

  @Test
  void anUnreadableRecordIsCountedAndRecordedAsAGapUnderSkip() {
    startDriver();
    send(cm(ADDED, "a", "u1", "1", "h1", 0));
    input.pipeInput(records.heartbeatKey(), new byte[] {0, 0, 0, 0, 99, 1, 2});
    send(cm(ADDED, "b", "u2", "2", "h2", 1));

    assertThat(describe(sink.rows(TableKind.CHANGES)))
        .containsExactly("a:ADDED:1@0", "b:ADDED:2@2");
    Record gap = sink.rows(TableKind.GAPS).get(0);
    assertThat((String) gap.getField(GapsTable.REASON))
        .startsWith("BAD_RECORD hindsight.changes-0@1");
    assertThat(gap.getField(GapsTable.RESOURCE)).isEqualTo("*");
  }

  @Test
  void anUnreadableRecordStopsTheAppUnderFail() {
    failOnBadRecord = true;
    startDriver();
    assertThatThrownBy(
            () -> input.pipeInput(records.heartbeatKey(), new byte[] {0, 0, 0, 0, 99, 1, 2}))
        .isInstanceOf(StreamsException.class)
        .hasStackTraceContaining("materializer.on-bad-record=fail");
  }
}
