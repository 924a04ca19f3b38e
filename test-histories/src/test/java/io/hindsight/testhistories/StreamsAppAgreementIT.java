package io.hindsight.testhistories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hindsight.history.HistoryReader;
import io.hindsight.history.State;
import io.hindsight.history.StateQuery;
import io.hindsight.history.StoredObject;
import io.hindsight.history.tables.CatalogConfig;
import io.hindsight.history.tables.Catalogs;
import io.hindsight.history.tables.ChangesTable;
import io.hindsight.history.tables.CommitLog;
import io.hindsight.materializer.Materializer;
import io.hindsight.materializer.MaterializerConfig;
import io.hindsight.schemas.NamespacePartitioner;
import io.hindsight.schemas.Topics;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.schemas.avro.ChangeLogRecord;
import io.hindsight.schemas.avro.Heartbeat;
import io.hindsight.schemas.avro.ObjectKey;
import io.hindsight.serde.AvroSerializer;
import io.hindsight.serde.SchemaRegistryClient;
import io.hindsight.testing.kafka.KafkaBroker;
import io.hindsight.testing.kafka.KafkaExtension;
import io.hindsight.testing.registry.RegistryExtension;
import io.hindsight.testing.registry.RegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripted history through the real pipeline — a broker, the registry and the streams-app —
 * reads as the script says, with the same rows in {@code changes} that {@link HistoryWriter}
 * writes: what the CLI and SQL tests run on is what the streams-app produces.
 */
@ExtendWith({KafkaExtension.class, RegistryExtension.class})
class StreamsAppAgreementIT {
  private static final Duration WAIT = Duration.ofMinutes(3);
  @TempDir Path dir;

  @Test
  void theStreamsAppWritesWhatTheScriptSays(KafkaBroker kafka, RegistryServer registry)
      throws Exception {
    ScriptedHistory history = ScriptedHistory.build();
    Expected expected = new Expected(history.steps());
    String topic = "agreement-" + UUID.randomUUID();
    try (var admin = kafka.admin()) {
      admin
          .createTopics(List.of(new NewTopic(topic, ScriptedHistory.PARTITIONS, (short) 1)))
          .all()
          .get();
    }
    CatalogConfig catalogConfig = ScriptedHistoryMain.catalogConfig(dir.resolve("app"));
    Map<String, String> config = new HashMap<>();
    config.put(MaterializerConfig.APPLICATION_ID, "agreement-" + UUID.randomUUID());
    config.put(MaterializerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    config.put(MaterializerConfig.REGISTRY_URL, registry.url());
    config.put(MaterializerConfig.INPUT_TOPIC, topic);
    config.put(MaterializerConfig.STATE_DIR, dir.resolve("streams").toString());
    config.put(MaterializerConfig.COMMIT_INTERVAL_MS, "300");
    config.put(MaterializerConfig.WATERMARK_INTERVAL_MS, "200");
    config.put(
        MaterializerConfig.CHECKPOINT_INTERVAL_MS,
        String.valueOf(ScriptedHistory.CHECKPOINT_INTERVAL.toMillis()));
    config.put(MaterializerConfig.CHECKPOINT_CHECK_MS, "100");
    config.put(MaterializerConfig.MAINTENANCE_INTERVAL_MS, "0");
    config.put(CatalogConfig.URI, catalogConfig.uri());
    config.put(CatalogConfig.WAREHOUSE, catalogConfig.warehouse());

    SchemaRegistryClient client = new SchemaRegistryClient(registry.url());
    AvroSerializer<ObjectKey> keys = new AvroSerializer<>(client, true);
    AvroSerializer<ChangeLogRecord> values = new AvroSerializer<>(client, false);
    Catalog catalog;
    long started = System.nanoTime();
    try (Materializer app = Materializer.start(new MaterializerConfig(config));
        KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
      catalog = Catalogs.open(catalogConfig);
      producer.initTransactions();
      // the watcher's order: changes as they happen, a heartbeat every interval, committed
      // in rounds of half an hour of business time
      List<ChangeEnvelope> pending = new ArrayList<>();
      Instant heartbeat = ScriptedHistory.START;
      int beats = 0;
      for (ChangeEnvelope e : history.envelopes()) {
        while (heartbeat.isBefore(e.getObservedAt())) {
          if (++beats % 3 == 0) {
            send(producer, topic, keys, values, pending, heartbeat);
            pending.clear();
            awaitWatermark(app, catalog, heartbeat);
          }
          heartbeat = heartbeat.plus(ScriptedHistory.HEARTBEAT_INTERVAL);
        }
        pending.add(e);
      }
      send(producer, topic, keys, values, pending, ScriptedHistory.END);
      awaitWatermark(app, catalog, ScriptedHistory.END);
    }
    System.out.printf(
        "scripted history through the streams-app: %d ms%n",
        (System.nanoTime() - started) / 1_000_000);

    Set<String> rows = new TreeSet<>();
    try (CloseableIterable<Record> all =
        IcebergGenerics.read(catalog.loadTable(ChangesTable.ID)).build()) {
      for (Record r : all) {
        rows.add(
            r.getField(ChangesTable.NAMESPACE)
                + " "
                + r.getField(ChangesTable.KIND)
                + "/"
                + r.getField(ChangesTable.NAME)
                + " "
                + r.getField(ChangesTable.EVENT_TYPE)
                + " "
                + r.getField(ChangesTable.UID)
                + "@"
                + r.getField(ChangesTable.RESOURCE_VERSION)
                + " "
                + ((OffsetDateTime) r.getField(ChangesTable.OBSERVED_AT)).toInstant());
      }
    }
    Set<String> script = new TreeSet<>();
    for (Step s : history.steps()) {
      script.add(
          s.namespace()
              + " "
              + s.kind()
              + "/"
              + s.name()
              + " "
              + s.eventType()
              + " "
              + s.uid()
              + "@"
              + s.resourceVersion()
              + " "
              + s.at());
    }
    assertThat(rows).as("one row per scripted change").isEqualTo(script);

    int checkpointsUsed = 0;
    try (HistoryReader reader = new HistoryReader(catalog)) {
      for (Map.Entry<String, List<Instant>> entry : ScriptedHistoryMain.STATE_INSTANTS.entrySet()) {
        for (Instant at : entry.getValue()) {
          State state = reader.stateAt(StateQuery.namespace(entry.getKey(), at));
          Map<String, String> actual = new TreeMap<>();
          for (StoredObject o : state.objects()) {
            actual.put(
                o.id().apiGroup() + "/" + o.id().kind() + "/" + o.id().name(),
                o.uid() + "@" + o.resourceVersion());
          }
          Map<String, String> model = new TreeMap<>();
          expected
              .stateAt(entry.getKey(), at)
              .forEach((k, s) -> model.put(k, s.uid() + "@" + s.resourceVersion()));
          assertThat(actual).as("%s at %s", entry.getKey(), at).isEqualTo(model);
          checkpointsUsed += state.checkpointsUsed();
        }
      }
    }
    assertThat(checkpointsUsed).as("the app's checkpoints are used").isGreaterThan(5);
    ((AutoCloseable) catalog).close();
  }

  private static KafkaProducer<byte[], byte[]> producer(KafkaBroker kafka) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "agreement-" + UUID.randomUUID(),
            ProducerConfig.COMPRESSION_TYPE_CONFIG,
            "zstd"),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /** One transaction: the changes, then a synced heartbeat to every partition. */
  private static void send(
      KafkaProducer<byte[], byte[]> producer,
      String topic,
      AvroSerializer<ObjectKey> keys,
      AvroSerializer<ChangeLogRecord> values,
      List<ChangeEnvelope> changes,
      Instant through) {
    producer.beginTransaction();
    for (ChangeEnvelope e : changes) {
      int p =
          NamespacePartitioner.partitionOf(
              e.getCluster(), e.getNamespace(), ScriptedHistory.PARTITIONS);
      String group = e.getApiVersion().contains("/") ? e.getApiVersion().split("/")[0] : "";
      byte[] key =
          keys.serialize(
              Topics.CHANGES,
              new ObjectKey(e.getCluster(), group, e.getKind(), e.getNamespace(), e.getName()));
      producer.send(
          new ProducerRecord<>(
              topic, p, key, values.serialize(Topics.CHANGES, new ChangeLogRecord(e))));
    }
    byte[] key =
        keys.serialize(
            Topics.CHANGES,
            new ObjectKey(ScriptedHistory.CLUSTER, Topics.HINDSIGHT_GROUP, "Heartbeat", "", "p"));
    for (int p = 0; p < ScriptedHistory.PARTITIONS; p++) {
      byte[] value =
          values.serialize(
              Topics.CHANGES,
              new ChangeLogRecord(
                  new Heartbeat(ScriptedHistory.CLUSTER, "script", p, through, through, true)));
      producer.send(new ProducerRecord<>(topic, p, key, value));
    }
    producer.commitTransaction();
  }

  private static void awaitWatermark(Materializer app, Catalog catalog, Instant through) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              assertThat(app.failure()).isNotDone();
              Table changes = catalog.loadTable(ChangesTable.ID);
              Map<Integer, Instant> marks =
                  CommitLog.watermarks(changes).getOrDefault(ScriptedHistory.CLUSTER, Map.of());
              assertThat(marks).hasSize(ScriptedHistory.PARTITIONS);
              assertThat(marks.values()).allSatisfy(m -> assertThat(m).isAfterOrEqualTo(through));
            });
  }
}
