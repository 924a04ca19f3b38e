package io.hindsight.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hindsight.history.Change;
import io.hindsight.history.HistoryException;
import io.hindsight.history.HistoryReader;
import io.hindsight.history.ObjectId;
import io.hindsight.history.State;
import io.hindsight.history.StateQuery;
import io.hindsight.history.StoredObject;
import io.hindsight.history.tables.CatalogConfig;
import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.CommitLog;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.serde.SchemaRegistryClient;
import io.hindsight.testing.kafka.KafkaBroker;
import io.hindsight.testing.kafka.KafkaExtension;
import io.hindsight.testing.registry.RegistryExtension;
import io.hindsight.testing.registry.RegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streams-app against a real broker, registry and catalog (JDBC on SQLite): a generated history
 * goes through Kafka into the tables, and the reader's state at random instants equals both the
 * generator's own model and a full replay of every recorded change.
 */
@ExtendWith({KafkaExtension.class, RegistryExtension.class})
class MaterializerIT {
  private static final int PARTITIONS = 3;
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path dir;
  private KafkaBroker kafka;
  private RegistryServer registry;
  private String topic;
  private ChangeRecords records;
  private Materializer materializer;
  private TestCatalog catalog;

  @BeforeEach
  void setUp(KafkaBroker kafka, RegistryServer registry) throws Exception {
    this.kafka = kafka;
    this.registry = registry;
    this.topic = "it-changes-" + UUID.randomUUID();
    try (var admin = kafka.admin()) {
      ChangeLogWriter.createTopic(admin, topic, PARTITIONS);
    }
    this.records = new ChangeRecords("it-cluster", new SchemaRegistryClient(registry.url()));
    this.catalog = new TestCatalog(dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (materializer != null) {
      materializer.close();
    }
    catalog.close();
  }

  static Map<String, String> config(
      KafkaBroker kafka, RegistryServer registry, String topic, CatalogConfig catalog, Path dir) {
    Map<String, String> values = new HashMap<>();
    values.put(MaterializerConfig.APPLICATION_ID, "it-" + UUID.randomUUID());
    values.put(MaterializerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    values.put(MaterializerConfig.REGISTRY_URL, registry.url());
    values.put(MaterializerConfig.INPUT_TOPIC, topic);
    values.put(MaterializerConfig.STATE_DIR, dir.resolve("streams").toString());
    values.put(MaterializerConfig.COMMIT_INTERVAL_MS, "500");
    values.put(MaterializerConfig.WATERMARK_INTERVAL_MS, "200");
    values.put(
        MaterializerConfig.CHECKPOINT_INTERVAL_MS,
        String.valueOf(Duration.ofMinutes(5).toMillis()));
    values.put(MaterializerConfig.CHECKPOINT_CHECK_MS, "100");
    values.put(MaterializerConfig.MAINTENANCE_INTERVAL_MS, "0");
    values.put(CatalogConfig.URI, catalog.uri());
    values.put(CatalogConfig.WAREHOUSE, catalog.warehouse());
    return values;
  }

  private Materializer start() {
    return Materializer.start(
        new MaterializerConfig(config(kafka, registry, topic, catalog.config, dir)));
  }

  /** Writes the history in batches, waiting for each to be committed, so checkpoints spread. */
  private void feed(GeneratedHistory history, int batch) {
    try (ChangeLogWriter writer =
        new ChangeLogWriter(kafka.bootstrapServers(), topic, PARTITIONS, records)) {
      List<ChangeEnvelope> pending = new ArrayList<>();
      for (GeneratedHistory.Event event : history.events) {
        pending.add(event.envelope());
        if (pending.size() == batch) {
          Instant through = pending.get(pending.size() - 1).getObservedAt();
          writer.write(pending, through);
          pending.clear();
          awaitWatermark(through);
        }
      }
      writer.write(pending, history.end());
      awaitWatermark(history.end());
    }
  }

  private void awaitWatermark(Instant through) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              assertThat(materializer.failure()).isNotDone();
              Table changes = catalog.reload().get(RowSink.TableKind.CHANGES);
              Map<Integer, Instant> marks =
                  CommitLog.watermarks(changes).getOrDefault("it-cluster", Map.of());
              assertThat(marks).hasSize(PARTITIONS);
              assertThat(marks.values()).allSatisfy(m -> assertThat(m).isAfterOrEqualTo(through));
            });
  }

  private static Map<String, String> describe(State state) {
    Map<String, String> out = new TreeMap<>();
    for (StoredObject o : state.objects()) {
      out.put(o.id().kind() + "/" + o.id().name(), o.uid() + "@" + o.resourceVersion());
    }
    return out;
  }

  private static Map<String, String> describe(Map<String, GeneratedHistory.Expected> model) {
    Map<String, String> out = new TreeMap<>();
    model.forEach((k, e) -> out.put(k, e.uid() + "@" + e.resourceVersion()));
    return out;
  }

  /** State by a full replay of every recorded change of the namespace, ignoring checkpoints. */
  private Map<String, String> fullReplay(String namespace, Instant at) throws Exception {
    Table changes = catalog.reload().get(RowSink.TableKind.CHANGES);
    Map<String, Record> newest = new HashMap<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(changes).build()) {
      for (Record r : rows) {
        Instant observed =
            ((java.time.OffsetDateTime) r.getField(ChangesTable.OBSERVED_AT)).toInstant();
        if (!r.getField(ChangesTable.NAMESPACE).equals(namespace) || observed.isAfter(at)) {
          continue;
        }
        String key = r.getField(ChangesTable.KIND) + "/" + r.getField(ChangesTable.NAME);
        newest.merge(
            key,
            r.copy(),
            (a, b) ->
                (Long) a.getField(ChangesTable.KAFKA_OFFSET)
                        >= (Long) b.getField(ChangesTable.KAFKA_OFFSET)
                    ? a
                    : b);
      }
    }
    Map<String, String> out = new TreeMap<>();
    newest.forEach(
        (k, r) -> {
          if (!"DELETED".equals(r.getField(ChangesTable.EVENT_TYPE))) {
            out.put(
                k, r.getField(ChangesTable.UID) + "@" + r.getField(ChangesTable.RESOURCE_VERSION));
          }
        });
    return out;
  }

  @Test
  void stateFromACheckpointPlusReplayEqualsTheModelAndAFullReplayAtRandomInstants()
      throws Exception {
    GeneratedHistory history =
        new GeneratedHistory(records, 42, 1500, 4, Instant.now().minus(3, ChronoUnit.DAYS));
    materializer = start();
    feed(history, 60);

    Table changes = catalog.reload().get(RowSink.TableKind.CHANGES);
    Set<String> seen = new HashSet<>();
    long rows = 0;
    try (CloseableIterable<Record> all = IcebergGenerics.read(changes).build()) {
      for (Record r : all) {
        rows++;
        seen.add(
            r.getField(ChangesTable.KAFKA_PARTITION) + "/" + r.getField(ChangesTable.KAFKA_OFFSET));
      }
    }
    assertThat(rows).as("one row per distinct change").isEqualTo(history.distinctChanges());
    assertThat(seen).hasSize((int) rows);

    Random random = new Random(7);
    List<Instant> instants = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      instants.add(
          history
              .start
              .plusMillis((long) (random.nextDouble() * history.span().toMillis()))
              .plusSeconds(1));
    }
    for (int i = 0; i < 10; i++) { // exactly at a change: ties count as before
      instants.add(
          history.events.get(random.nextInt(history.events.size())).envelope().getObservedAt());
    }
    instants.add(history.end());
    int withCheckpoint = 0;
    try (HistoryReader reader = new HistoryReader(catalog.catalog)) {
      for (Instant at : instants) {
        if (at.isBefore(history.events.get(0).envelope().getObservedAt())) {
          continue;
        }
        for (String ns : history.namespaces) {
          State state = reader.stateAt(StateQuery.namespace(ns, at));
          assertThat(describe(state))
              .as("%s at %s vs model", ns, at)
              .isEqualTo(describe(history.stateAt(ns, at)));
          assertThat(describe(state))
              .as("%s at %s vs full replay", ns, at)
              .isEqualTo(fullReplay(ns, at));
          withCheckpoint += state.checkpointsUsed();
        }
      }
      assertThat(withCheckpoint).as("the instants exercise checkpoints").isGreaterThan(20);

      State whole =
          reader.stateAt(new StateQuery(null, Optional.empty(), history.end(), null, false));
      int expected = 0;
      for (String ns : history.namespaces) {
        expected += history.stateAt(ns, history.end()).size();
      }
      assertThat(whole.objects()).hasSize(expected);
    }
  }

  @Test
  void instantsTheHistoryCannotAnswerAreRefusedWithTheReason() {
    Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    materializer = start();
    try (ChangeLogWriter writer =
        new ChangeLogWriter(kafka.bootstrapServers(), topic, PARTITIONS, records)) {
      writer.write(
          List.of(
              records.envelope(
                  io.hindsight.schemas.avro.EventType.ADDED,
                  "ConfigMap",
                  "shop",
                  "a",
                  "u1",
                  "1",
                  "h1",
                  t0),
              records.envelope(
                  io.hindsight.schemas.avro.EventType.MODIFIED,
                  "ConfigMap",
                  "shop",
                  "a",
                  "u1",
                  "2",
                  "h2",
                  t0.plusSeconds(600))),
          t0.plusSeconds(600));
      writer.gap(t0.plusSeconds(100), t0.plusSeconds(200), "WATCHER_START downtime");
      writer.write(List.of(), t0.plusSeconds(900));
    }
    awaitWatermark(t0.plusSeconds(900));
    try (HistoryReader reader = new HistoryReader(catalog.catalog)) {
      assertThat(reader.stateAt(StateQuery.namespace("shop", t0.plusSeconds(50))).objects())
          .extracting(StoredObject::resourceVersion)
          .containsExactly("1");
      assertThat(reader.stateAt(StateQuery.namespace("shop", t0.plusSeconds(700))).objects())
          .extracting(StoredObject::resourceVersion)
          .containsExactly("2");
      assertRefused(
          reader,
          "elsewhere",
          t0.plusSeconds(50),
          HistoryException.Reason.UNKNOWN_NAMESPACE,
          "never appears");
      assertRefused(
          reader, "shop", t0.plusSeconds(150), HistoryException.Reason.IN_GAP, "WATCHER_START");
      assertRefused(
          reader, "shop", t0.minusSeconds(1), HistoryException.Reason.BEFORE_HISTORY, "starts at");
      assertRefused(
          reader,
          "shop",
          t0.plusSeconds(901),
          HistoryException.Reason.NOT_YET_COVERED,
          "complete through");
      assertRefused(
          reader,
          "shop",
          Instant.now().plusSeconds(3600),
          HistoryException.Reason.IN_FUTURE,
          "future");
      assertThat(
              reader
                  .stateAt(
                      new StateQuery(null, Optional.of("shop"), t0.plusSeconds(150), null, true))
                  .objects())
          .as("inside the gap when asked to allow it")
          .hasSize(1);
      List<Change> history =
          reader.history(new ObjectId("it-cluster", "", "ConfigMap", "shop", "a"), null, null);
      assertThat(history).extracting(Change::eventType).containsExactly("ADDED", "MODIFIED");
      assertThat(reader.gaps("it-cluster", t0, t0.plusSeconds(900))).hasSize(1);
    }
  }

  private static void assertRefused(
      HistoryReader reader, String ns, Instant at, HistoryException.Reason reason, String says) {
    assertThatThrownBy(() -> reader.stateAt(StateQuery.namespace(ns, at)))
        .isInstanceOfSatisfying(
            HistoryException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(says);
  }
}
